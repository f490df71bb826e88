"""Running SOPs: the engine's commands, an instance's state and how events change it, the
hash-chained events, the working-time calendar and the deadlines ``check`` reports.

It reads SOPs only as compiled flows (``sopctl.sop.procedure``) and pinned definitions.
"""
