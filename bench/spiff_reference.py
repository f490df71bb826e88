"""The SpiffWorkflow reference: the same SOP as BPMN, stored in SQLite one step at a time.

The BPMN is made from the SOP's flowchart: a lane per role, a userTask per step, and
after each decision an exclusive gateway whose branches follow the SOP's (the "Tidak"
branch loops back to step 2). As SpiffWorkflow's serialization docs recommend, the
definition is parsed once and the workflow's own state is stored apart from its
spec: :class:`CachedSpecConverter` writes the spec's name instead of the spec, and
restores the workflow around the cached, already parsed spec.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any, ClassVar
from uuid import UUID
from xml.sax.saxutils import quoteattr

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.serializer import DEFAULT_CONFIG, BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default import BpmnWorkflowConverter
from SpiffWorkflow.bpmn.specs import BpmnProcessSpec
from SpiffWorkflow.util.task import TaskState

from sopctl.sop.procedure import Procedure

NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'


def bpmn_xml(flow: Procedure) -> str:
    """The SOP as a BPMN process: lanes, userTasks, exclusive gateways after decisions."""
    pid = "sop_" + flow.id.replace("-", "_")
    nodes: list[str] = ['<bpmn:startEvent id="start"/>', '<bpmn:endEvent id="end"/>']
    flows: list[tuple[str, str, str | None]] = []
    lanes: dict[str, list[str]] = {lane.id: [] for lane in flow.lanes}
    for step in flow.steps.values():
        task = f"step_{step.number}"
        nodes.append(f"<bpmn:userTask id={quoteattr(task)} name={quoteattr(step.activity[:60])}/>")
        lanes[step.lanes[0]].append(task)
        if step.kind == "start":
            flows.append(("start", task, None))
        if step.kind == "end":
            flows.append((task, "end", None))
        if step.kind == "decision":
            gateway = f"gateway_{step.number}"
            nodes.append(f'<bpmn:exclusiveGateway id="{gateway}"/>')
            lanes[step.lanes[0]].append(gateway)
            flows.append((task, gateway, None))
            for branch in step.branches:
                flows.append((gateway, f"step_{branch.to}", f"branch == {branch.label!r}"))
        else:
            flows.extend((task, f"step_{target}", None) for target in step.next)
    lane_xml = "".join(
        f'<bpmn:lane id="lane_{lane_id.replace("-", "_")}">'
        + "".join(f"<bpmn:flowNodeRef>{node}</bpmn:flowNodeRef>" for node in members)
        + "</bpmn:lane>"
        for lane_id, members in lanes.items()
    )
    flow_xml = "".join(
        f'<bpmn:sequenceFlow id="flow_{i}" sourceRef="{source}" targetRef="{target}">'
        + (f"<bpmn:conditionExpression>{condition}</bpmn:conditionExpression>" if condition else "")
        + "</bpmn:sequenceFlow>"
        for i, (source, target, condition) in enumerate(flows)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions {NS} id="defs" '
        f'targetNamespace="http://bpmn.io/schema/bpmn">'
        f'<bpmn:collaboration id="collab"><bpmn:participant id="office" processRef="{pid}"/>'
        f'</bpmn:collaboration><bpmn:process id="{pid}" isExecutable="true">'
        f"<bpmn:laneSet>{lane_xml}</bpmn:laneSet>{''.join(nodes)}{flow_xml}</bpmn:process>"
        "</bpmn:definitions>"
    )


def parse_spec(flow: Procedure) -> BpmnProcessSpec:
    parser = BpmnParser()
    parser.add_bpmn_str(bpmn_xml(flow).encode("utf-8"))
    return parser.get_spec("sop_" + flow.id.replace("-", "_"))


class CachedSpecConverter(BpmnWorkflowConverter):  # type: ignore[misc]
    """Stores a workflow without its spec; restores it around the cached spec."""

    specs: ClassVar[dict[str, BpmnProcessSpec]] = {}

    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct: dict[str, Any] = super().to_dict(workflow)
        dct["spec"] = workflow.spec.name
        dct["subprocess_specs"] = {}
        return dct

    def from_dict(self, dct: dict[str, Any]) -> BpmnWorkflow:
        workflow = self.target_class(self.specs[dct.pop("spec")], {}, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


class SpiffStore:
    """Workflows in one SQLite table, one durable transaction per step (WAL, synchronous=FULL)."""

    def __init__(self, path: str, spec: BpmnProcessSpec, *, cached: bool = True) -> None:
        self.spec = spec
        if cached:
            CachedSpecConverter.specs[spec.name] = spec
            registry = BpmnWorkflowSerializer.configure({**DEFAULT_CONFIG, BpmnWorkflow: CachedSpecConverter})
            self.serializer = BpmnWorkflowSerializer(registry)
        else:
            self.serializer = BpmnWorkflowSerializer()
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute("CREATE TABLE IF NOT EXISTS workflow (id TEXT PRIMARY KEY, serialization TEXT)")

    def _save(self, sql: str, workflow: BpmnWorkflow, key: str) -> None:
        text = self.serializer.serialize_json(workflow)
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute(sql, (text, key))
        self.conn.execute("COMMIT")

    def start(self, key: str) -> None:
        workflow = BpmnWorkflow(self.spec)
        workflow.do_engine_steps()
        self._save("INSERT INTO workflow (serialization, id) VALUES (?, ?)", workflow, key)

    def step(self, key: str, by: str, branch: str | None = None) -> str | None:
        """Complete the ready user task; returns the name of the next ready one (None at the end)."""
        (text,) = self.conn.execute("SELECT serialization FROM workflow WHERE id = ?", (key,)).fetchone()
        workflow = self.serializer.deserialize_json(text)
        task = workflow.get_next_task(state=TaskState.READY, manual=True)
        task.data.update({"by": by, "branch": branch})
        task.run()
        workflow.do_engine_steps()
        self._save("UPDATE workflow SET serialization = ? WHERE id = ?", workflow, key)
        following = workflow.get_next_task(state=TaskState.READY, manual=True)
        return None if following is None else str(following.task_spec.name)


def serialized_size(store: SpiffStore, key: str) -> int:
    (text,) = store.conn.execute("SELECT serialization FROM workflow WHERE id = ?", (key,)).fetchone()
    return len(json.dumps(json.loads(text)))
