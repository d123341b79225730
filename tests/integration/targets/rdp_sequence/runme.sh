#!/usr/bin/env bash
# The user-facing sequence on the hosts of the "windows" group: audit, remediate, remediate again (no change),
# audit (all pass, unless Group Policy owns a failing setting), diagnose. See sequence.py.
set -eu -o pipefail
exec python "$(dirname "$0")/sequence.py" --inventory "${INVENTORY_PATH}" --output "${OUTPUT_DIR}"
