"""A headless SpiffWorkflow 3 host for the BPMN files `sop render --format bpmn --engine spiff`
writes: the working calendar (`sop calendar`) as the script environment's `sop_due`, a
virtual clock, system steps as external service tasks, and a driver that plays a scenario
(`Tests/Scenarios/*.yaml`, `sop debug scenario`) and returns the trace it observed.

What a real host does is the same: it completes ready user tasks (`task.run()` after setting
the decision's answer variable), marks the produced documents, records responses, and lets
the engine fire timers whose expressions it evaluates with our calendar.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from dataclasses import dataclass, field

from lxml import etree

import SpiffWorkflow.bpmn.specs.event_definitions.timer as spiff_timer
from SpiffWorkflow.bpmn.parser import BpmnParser, BpmnValidator
from SpiffWorkflow.bpmn.parser.TaskParser import TaskParser
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.specs.defaults import UserTask
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

SOP_NS = "urn:sop:bpmn:1"
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NS = {"bpmn": BPMN_NS, "sop": SOP_NS}
FAR_FUTURE = "9999-12-31T00:00:00+00:00"


# --- the virtual clock: SpiffWorkflow's timers read datetime.now(timezone.utc) --------------

class VirtualClock:
    now: dt.datetime = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)


class _ClockedDatetime(dt.datetime):
    @classmethod
    def now(cls, tz=None):  # noqa: D102 - the engine's only clock
        n = VirtualClock.now
        return n.astimezone(tz) if tz else n.replace(tzinfo=None)


spiff_timer.datetime = _ClockedDatetime


# --- system steps are external tasks: they wait for the host like a user task -------------

class ExternalServiceTask(UserTask):
    """A `serviceTask` whose work a system outside the engine does (LAPOR!-SP4N): the host
    completes it, as a Camunda external-task worker would."""


class SopParser(BpmnParser):
    OVERRIDE_PARSER_CLASSES = {full_tag("serviceTask"): (TaskParser, ExternalServiceTask)}


# --- the working calendar -------------------------------------------------------------------

class Calendar:
    """`sop calendar`'s JSON: working days per SOP (longest id prefix), as our runtime counts."""

    def __init__(self, data: dict):
        self.data = data
        self.holidays = {h["date"]: h["kind"] for h in data["holidays"]}

    def settings(self, sop_id: str) -> dict:
        best, length = self.data["default"], -1
        for o in self.data["overrides"]:
            if sop_id.startswith(o["prefix"]) and len(o["prefix"]) > length:
                best, length = o["settings"], len(o["prefix"])
        return best

    @staticmethod
    def offset(settings: dict) -> dt.timezone:
        sign = -1 if settings["offset"].startswith("-") else 1
        h, m = settings["offset"][1:].split(":")
        return dt.timezone(sign * dt.timedelta(hours=int(h), minutes=int(m)))

    def is_working(self, day: dt.date, settings: dict) -> bool:
        if settings["week"] == "every-day":
            return True
        if day.isoweekday() >= 6:
            return False
        kind = self.holidays.get(day.isoformat())
        if kind is None:
            return True
        return kind == "cutiBersama" and settings["cutiBersama"] == "working"

    def due(self, amount: float, unit: str, sop_id: str, start: dt.datetime) -> dt.datetime:
        s = self.settings(sop_id)
        tz = self.offset(s)
        local = start.astimezone(tz)
        if unit == "workingDay":
            day, n = local.date(), int(-(-amount // 1))
            while n > 0:
                day += dt.timedelta(days=1)
                if self.is_working(day, s):
                    n -= 1
            return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tz)
        seconds = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}
        if unit in seconds:
            return start + dt.timedelta(seconds=amount * seconds[unit])
        months = int(amount) * (12 if unit == "year" else 1)
        total = local.year * 12 + local.month - 1 + months
        y, m = divmod(total, 12)
        import calendar as _c
        d = min(local.day, _c.monthrange(y, m + 1)[1])
        return local.replace(year=y, month=m + 1, day=d)

    def sop_due(self, amount, unit, sop_id, since="activation"):
        """The script environment's `sop_due`: the instant a timer falls due, as ISO 8601.
        `since=None` (no response recorded yet) leaves a last-response timer unarmed."""
        if since is None:
            return FAR_FUTURE
        start = VirtualClock.now if since == "activation" else dt.datetime.fromisoformat(since)
        return self.due(amount, unit, sop_id, start).isoformat()


# --- loading ---------------------------------------------------------------------------------

@dataclass
class StepInfo:
    element: str
    number: str | None
    key: str | None
    condition: bool
    answer: str
    actors: list[str]
    recurring: bool
    outputs: list[str] = field(default_factory=list)   # data object ids the step produces


@dataclass
class ProcessInfo:
    sop_id: str
    process_id: str
    draft: bool
    steps: dict[str, StepInfo] = field(default_factory=dict)     # element id -> step
    lanes: dict[str, str] = field(default_factory=dict)          # lane name -> actor key
    actor_names: dict[str, str] = field(default_factory=dict)    # actor key -> lane name
    outcomes: dict[str, str] = field(default_factory=dict)       # end event id -> outcome key
    timers: dict[str, dict] = field(default_factory=dict)        # boundary id -> sop:timer
    branch_flows: list[tuple[str, str]] = field(default_factory=list)  # (gateway, flow id)

    def step_by_reference(self, ref: str) -> StepInfo:
        for s in self.steps.values():
            if s.condition and ref in ((s.number or "") + "?", (s.key or "") + "?"):
                return s
            if not s.condition and ref in (s.number, s.key):
                return s
        raise KeyError(f"no step {ref!r} in {self.sop_id}")

    def reference(self, element: str) -> str:
        s = self.steps[element]
        return (s.number or "") + "?" if s.condition else (s.number or s.key or element)


def read_info(path: str) -> ProcessInfo:
    root = etree.parse(path).getroot()
    process = root.find("bpmn:process", NS)
    sop = process.find("bpmn:extensionElements/sop:sop", NS)
    info = ProcessInfo(sop.get("id"), process.get("id"), sop.get("draft") == "true")
    for lane in process.iterfind("bpmn:laneSet/bpmn:lane", NS):
        actor = lane.find("bpmn:extensionElements/sop:actor", NS)
        if actor is not None:
            info.lanes[lane.get("name")] = actor.get("key")
            info.actor_names[actor.get("key")] = lane.get("name")
    references = {r.get("id"): r.get("dataObjectRef") for r in process.iterfind("bpmn:dataObjectReference", NS)}
    for element in process:
        step = element.find("bpmn:extensionElements/sop:step", NS)
        if step is not None:
            info.steps[element.get("id")] = StepInfo(
                element.get("id"), step.get("number"), step.get("key"), step.get("condition") == "true",
                step.get("answer"), [a.get("key") for a in step.iterfind("sop:actor", NS)],
                step.find("sop:recurrence", NS) is not None,
                [references[t.text] for t in element.iterfind("bpmn:dataOutputAssociation/bpmn:targetRef", NS)])
        outcome = element.find("bpmn:extensionElements/sop:outcome", NS)
        if outcome is not None and element.tag == f"{{{BPMN_NS}}}endEvent":
            info.outcomes[element.get("id")] = outcome.get("key")
        timer = element.find("bpmn:extensionElements/sop:timer", NS)
        if timer is not None:
            info.timers[element.get("id")] = dict(timer.attrib)
        if element.tag == f"{{{BPMN_NS}}}sequenceFlow" and element.find("bpmn:conditionExpression", NS) is not None:
            info.branch_flows.append((element.get("sourceRef"), element.get("id")))
    return info


def load(paths: list[str], validate: bool = True):
    """Parses every file (with the XSD validator on) and returns the parser and the infos."""
    parser = SopParser(validator=BpmnValidator() if validate else None)
    parser.add_bpmn_files(paths)
    return parser, {read_info(p).process_id: read_info(p) for p in paths}


# --- running ---------------------------------------------------------------------------------

@dataclass
class Run:
    """What SpiffWorkflow did on one path, in our runtime's terms."""
    events: list[tuple[str, str, str, str]] = field(default_factory=list)  # (minute, kind, step, actor)
    taken: set[str] = field(default_factory=set)                           # flow / boundary ids
    completed: bool = False


def minute(t: dt.datetime, tz: dt.timezone) -> str:
    return t.astimezone(tz).strftime("%Y-%m-%dT%H:%M")


class Host:
    def __init__(self, parser, infos: dict[str, ProcessInfo], calendar: Calendar):
        self.parser, self.infos, self.calendar = parser, infos, calendar

    def workflow(self, process_id: str, start: dt.datetime) -> BpmnWorkflow:
        VirtualClock.now = start
        spec = self.parser.get_spec(process_id)
        subs = self.parser.get_subprocess_specs(process_id)
        env = TaskDataEnvironment({"sop_due": self.calendar.sop_due})
        wf = BpmnWorkflow(spec, subs, script_engine=PythonScriptEngine(environment=env))
        return wf

    def play(self, process_id: str, start: dt.datetime, actions: list[dict]) -> Run:
        info = self.infos[process_id]
        tz = Calendar.offset(self.calendar.settings(info.sop_id))
        wf = self.workflow(process_id, start)
        run = Run()
        seen: set = set()
        occurrences: set[str] = set()   # recurring steps whose next occurrence is the same open step

        def open_tasks():
            return [t for t in wf.get_tasks(state=TaskState.READY) if t.task_spec.bpmn_id in info.steps]

        def settle():
            wf.do_engine_steps()
            for t in open_tasks():
                if t.id not in seen:
                    seen.add(t.id)
                    if t.task_spec.bpmn_id in occurrences:
                        occurrences.discard(t.task_spec.bpmn_id)
                        continue
                    run.events.append((minute(VirtualClock.now, tz), "schedule", info.reference(t.task_spec.bpmn_id), ""))

        def pending_due():
            out = []
            for t in wf.get_tasks(state=TaskState.WAITING):
                if t.task_spec.bpmn_id in info.timers:
                    value = t._get_internal_data("event_value")
                    if value is None:
                        t.task_spec.event_definition.has_fired(t)   # evaluates the expression now
                        value = t._get_internal_data("event_value")
                    if value and value != FAR_FUTURE:
                        out.append((spiff_timer.TimerEventDefinition.get_datetime(value), t))
            return sorted(out, key=lambda p: (p[0], p[1].task_spec.bpmn_id))

        def advance(to: dt.datetime):
            # Fire due timers in order, each at its own instant (the engine compares with `<`,
            # so the clock stands one microsecond past the due instant).
            while True:
                due = [p for p in pending_due() if p[0] <= to]
                if not due:
                    break
                when, task = due[0]
                VirtualClock.now = when + dt.timedelta(microseconds=1)
                wf.refresh_waiting_tasks()
                run.taken.add(task.task_spec.bpmn_id)
                step = info.reference(task.task_spec.bpmn_id.rsplit("_timer", 1)[0])
                run.events.append((minute(when, tz), "timeout", step, info.timers[task.task_spec.bpmn_id]["after"]))
                settle()
            VirtualClock.now = max(VirtualClock.now, to)

        def find(ref: str):
            step = info.step_by_reference(ref)
            for t in open_tasks():
                if t.task_spec.bpmn_id == step.element:
                    return step, t
            raise AssertionError(f"{info.sop_id}: step {ref} is not open in SpiffWorkflow at {VirtualClock.now}")

        for t in wf.get_tasks():
            t.data["sop_last_response"] = None
        settle()
        for action in actions:
            if "at" in action:
                at = parse_local(action["at"], tz)
                advance(at)
            if "advance" in action:
                advance(parse_local(action["advance"], tz))
                continue
            if "expect" in action or "refused" in action:
                continue   # our runtime's checks; a refused command changes nothing
            if "complete" in action or "decide" in action:
                ref = action.get("complete") or action.get("decide")
                step, task = find(ref)
                by = action.get("by")
                # Who acts: the task's lane, or, for a step of several actors, the one of
                # the step's actors (as the BPMN lists them) who completed it.
                performer = task.task_spec.lane or ""
                if len(step.actors) > 1 and by in step.actors:
                    performer = info.actor_names[by]
                if performer not in info.lanes:
                    performer = ""
                if "decide" in action:
                    task.data[step.answer] = action["branch"]
                if step.recurring:
                    task.data["sop_last_occurrence"] = bool(action.get("last", False))
                    if not task.data["sop_last_occurrence"]:
                        occurrences.add(step.element)
                # The host supplies every document the step produces (its data outputs).
                for data_object in step.outputs:
                    task.data[data_object] = "diserahkan"
                task.run()
                run.events.append((minute(VirtualClock.now, tz), "complete", info.reference(step.element), performer))
                settle()
            elif "respond" in action:
                step, task = find(action["respond"])
                for child in wf.get_tasks(state=TaskState.WAITING):
                    bid = child.task_spec.bpmn_id
                    if bid in info.timers and bid.startswith(step.element + "_timer") and info.timers[bid].get("since") == "last-response":
                        child.data["sop_last_response"] = VirtualClock.now.isoformat()
                        child.internal_data.pop("event_value", None)
                    run.events.append((minute(VirtualClock.now, tz), "respond", info.reference(step.element), ""))
        for t in wf.get_tasks(state=TaskState.COMPLETED):
            if t.task_spec.bpmn_id in info.outcomes:
                run.events.append(("", "outcome", info.outcomes[t.task_spec.bpmn_id], ""))
        run.completed = wf.is_completed()
        return run


def parse_local(text: str, tz: dt.timezone) -> dt.datetime:
    return dt.datetime.strptime(str(text), "%Y-%m-%d %H:%M").replace(tzinfo=tz)
