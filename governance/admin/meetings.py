"""Admin of meetings, attendance, minutes and the action log.

Left empty on purpose: the meetings and actions engineer (issue 4) registers those models here, so the
two halves of the governance admin do not edit one file.
"""

from __future__ import annotations
