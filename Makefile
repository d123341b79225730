# rdp.windows: `make demo` audits the simulated lab, `make test` runs every test. Both set themselves up.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum requirements-dev.txt | cut -c1-12)
COLLECTIONS := $(CURDIR)/.build/collections
LINK := .build/collections/ansible_collections/rdp/windows
DEMO := $(CURDIR)/.build/demo-lab
# The lab that ansible.cfg's default inventory names: built from lab/build_lab.py, so that playbooks run against
# it change build output only, never the committed lab/ (`make lab-reset` starts it over).
LIVE_LAB := .build/lab
# ansible-test needs the collection at an ansible_collections/<ns>/<name> path (a real directory: it resolves cwd).
SANITY := $(CURDIR)/.build/sanity/ansible_collections/rdp/windows
# ansible-test bootstraps pip in its venvs with a get-pip script from a host we cannot reach; this stand-in
# installs the requested pip with ensurepip + pip.
GET_PIP := $(HOME)/.ansible/test/cache/get_pip_24_2.py
# validate-modules needs pwsh for .ps1 modules; their .yml documentation is still validated.
SANITY_EXCLUDES = $(foreach f,$(wildcard plugins/modules/*.ps1),--exclude $(f))
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export PATH := $(BIN):$(PATH)

.PHONY: setup demo test quick unit lint sanity clean lab lab-reset time-travel browser system-deps static pwsh-allowlist pwsh-usage integration changelog readme bench

setup: $(STAMP) $(LINK) $(LIVE_LAB)/inventory.yml

$(STAMP): requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required"; exit 1; }
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade pip
	$(VENV)/bin/python -m pip install -q -r requirements-dev.txt
	rm -f $(VENV)/.installed-*; touch $@

$(LINK):
	mkdir -p $(dir $(LINK))
	ln -sfn ../../../.. $(LINK)

$(LIVE_LAB)/inventory.yml: lab/build_lab.py | $(STAMP) $(LINK)
	$(VENV)/bin/python lab/build_lab.py $(LIVE_LAB)/hosts

lab: setup
	$(BIN)/python lab/build_lab.py

lab-reset: setup
	rm -rf $(LIVE_LAB)
	$(BIN)/python lab/build_lab.py $(LIVE_LAB)/hosts

readme: setup
	$(BIN)/python docs/controls_table.py README.md
	$(BIN)/python docs/controls_table.py --page docs/controls.md

demo: setup
	rm -rf $(DEMO)
	$(BIN)/python lab/build_lab.py $(DEMO)/hosts
	$(BIN)/ansible-playbook -i $(DEMO)/inventory.yml playbooks/audit.yml --check -e rdp_report_dir=$(CURDIR)/rdp-reports
	@echo "Report: $(CURDIR)/rdp-reports/rdp-compliance.json"
	$(BIN)/ansible-playbook -i $(DEMO)/inventory.yml playbooks/diagnose.yml -e rdp_report_dir=$(CURDIR)/rdp-reports
	@echo "Diagnosis: $(CURDIR)/rdp-reports/rdp-diagnosis.json"

unit: setup
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/unit

# The edit-test loop: unit and collection tests that are not slow (tests/README.md), in about 30 s.
quick: setup
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not slow" tests/unit tests/collection

# The HTML report is checked in a real headless browser: Debian's chromium, installed once (as root).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" != 0 ]; then echo "chromium is required for the report tests: run make test as root, or apt-get install chromium"; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; }


# Real RDP servers for the probe tests (xrdp, FreeRDP's shadow server on Xvfb), shellcheck for the
# sanity test of the shell scripts and faketime for `make time-travel`; installed once, as root.
SYSTEM_PACKAGES := xrdp freerdp2-shadow-x11 xvfb shellcheck faketime
SYSTEM_PROGRAMS := xrdp freerdp-shadow-cli Xvfb shellcheck faketime
APT := DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -q
system-deps:
	@missing=""; for program in $(SYSTEM_PROGRAMS); do command -v $$program >/dev/null || missing="$$missing $$program"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "missing:$$missing; run 'make system-deps' as root (apt-get install $(SYSTEM_PACKAGES))"; exit 1; fi; \
	  echo "installing $(SYSTEM_PACKAGES) (missing:$$missing)"; \
	  $(APT) update && $(APT) install -y --no-install-recommends $(SYSTEM_PACKAGES); \
	fi

test: setup browser system-deps
	$(BIN)/python -m pytest -q -rs -p no:cacheprovider tests
	@$(MAKE) --no-print-directory time-travel lint sanity

# The date-dependent paths with the wall clock moved three years ahead and one year back, in every Python process
# (tests/clock/sitecustomize.py): certificates (simulated and real servers), waiver expiry, the access-log window,
# report timestamps, and the diagnosis through the fault lab.
TIME_TRAVEL_TESTS := tests/unit tests/collection/test_test_clock.py tests/lab/faults/test_diagnose_faults.py tests/lab/test_diagnose_lab.py \
  tests/lab/test_access_log_lab.py tests/lab/test_waivers_remediation.py tests/real/test_probe_real_servers.py
time-travel: setup
	for shift in +3y -1y; do echo "== the clock moved $$shift"; \
	  PYTHONPATH=$(CURDIR)/tests/clock RDP_CLOCK_SHIFT=$$shift $(BIN)/python -m pytest -q -p no:cacheprovider \
	    -W ignore::pytest.PytestAssertRewriteWarning $(TIME_TRAVEL_TESTS) || exit 1; done

# Static verification of every .ps1/.psm1 (tree-sitter; no PowerShell needed). See docs/testing.md.
static: setup
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/collection/static

# The real-host kit: ansible-test integration targets and the molecule 'windows' scenario against the Windows host
# given by RDP_TEST_HOST, RDP_TEST_USER, RDP_TEST_PASSWORD (docs/testing.md). Without a host it says so and fails.
integration: setup
	$(BIN)/python tests/integration/kit.py real

# After editing tests/collection/static/allowed_commands.yml: regenerate the cmdlet table from the reference signatures.
pwsh-allowlist: setup
	$(BIN)/python tests/collection/static/build_allowlist.py

# Each cmdlet call of the collection with its parameter set and the Microsoft page it was checked against.
pwsh-usage: setup
	@$(BIN)/python -m tests.collection.static.pwsh_check --usage

# --offline: the collection resolves through .build; without it ansible-lint installs a copy of it into
# ~/.ansible/collections, which then shadows the working tree for anything run without ANSIBLE_COLLECTIONS_PATH.
lint: setup
	$(BIN)/ansible-lint --offline
	$(BIN)/antsibull-changelog lint

sanity: setup system-deps $(GET_PIP)
	rm -rf $(SANITY) && mkdir -p $(SANITY)
	git ls-files -z --cached --others --exclude-standard | \
	  while IFS= read -r -d '' f; do [ -e "$$f" ] && printf '%s\0' "$$f"; done | \
	  tar --null -T - -cf - | tar -xf - -C $(SANITY)
	git init -q $(SANITY)  # its own content root: ansible-test would otherwise use this worktree's git, which ignores .build
	cd $(SANITY) && $(BIN)/ansible-test sanity --venv --python 3.11 $(SANITY_EXCLUDES)

changelog: setup
	$(BIN)/antsibull-changelog release --version $$(sed -n 's/^version: *//p' galaxy.yml)

$(GET_PIP):
	mkdir -p $(dir $@)
	printf '%s\n' 'import subprocess, sys' \
	  'args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]' \
	  'subprocess.run([sys.executable, "-m", "ensurepip", "--default-pip"], check=True)' \
	  'subprocess.run([sys.executable, "-m", "pip", "install"] + args, check=True)' > $@

# Fleet-scale benchmark (docs/performance.md); not part of `make test`. BENCH_QUICK=1 for a small, fast run.
BENCH_STAMP := $(VENV)/.bench-$(shell sha1sum bench/requirements.txt | cut -c1-12)

$(BENCH_STAMP): bench/requirements.txt
	$(VENV)/bin/python -m pip install -q -r bench/requirements.txt
	touch $@

bench: setup $(BENCH_STAMP)
	$(BIN)/python bench/run_bench.py

clean:
	rm -rf .build rdp-reports tests/output bench/results/tmp
