"""The SOP format: the document's model, reading YAML with file:line:col errors, the rules
across fields, durations as written, and the flowchart compiled into a graph (``procedure``).

Nothing here runs an instance or touches a store; ``sopctl.run`` does that.
"""
