# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An action plugin of the collection built for a unit test, with a mocked task and connection."""

from unittest.mock import MagicMock

from ansible.playbook.task import Task


def action_plugin(module, task_args, check_mode=False, diff=False, templar=None):
    """``module.ActionModule`` for a task with ``task_args``; the test mocks ``_execute_module`` as it needs."""
    task = MagicMock(Task)
    task.args, task.check_mode, task.diff, task.async_val = task_args, check_mode, diff, 0
    play_context = MagicMock()
    play_context.check_mode = check_mode
    return module.ActionModule(task, MagicMock(), play_context, loader=None, templar=templar, shared_loader_obj=None)
