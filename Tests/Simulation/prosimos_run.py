"""Runs Prosimos 2.1 on the BPMN export of an SOP with the parameters of a `sop simulate`
profile, and prints its mean cycle time (hours) and per-actor utilisation as JSON.

Prosimos reads plain `bpmn:task` elements only, so the export's user tasks become tasks;
its parameters are written as its own `make_params` examples write them (durations in
seconds, distribution parameters as lists of {"value": x}, calendars as weekly intervals).

usage: prosimos_run.py MODEL.bpmn PROFILE.yaml CASES SEED OUT_DIR
"""
import csv
import json
import os
import random
import re
import sys
import time
import xml.etree.ElementTree as ET

import numpy
import yaml
from prosimos.simulation_engine import run_simulation

NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL", "sop": "urn:sop:bpmn:1"}
UNITS = {"detik": 1, "menit": 60, "jam": 3600, "hari": 86400}


def seconds(text):
    value, unit = str(text).split(" ", 1)
    return float(value) * UNITS[unit.strip()]


def main():
    bpmn_path, profile_path, cases, seed, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    os.makedirs(out, exist_ok=True)
    text = open(bpmn_path, encoding="utf-8").read()
    # Prosimos reads plain tasks only.
    text = re.sub(r"<bpmn:(userTask|serviceTask|manualTask)\b", "<bpmn:task", text)
    text = re.sub(r"</bpmn:(userTask|serviceTask|manualTask)>", "</bpmn:task>", text)
    plain = os.path.join(out, "model.bpmn")
    open(plain, "w", encoding="utf-8").write(text)
    root = ET.fromstring(text.encode("utf-8"))
    process = root.find("bpmn:process", NS)
    profile = yaml.safe_load(open(profile_path, encoding="utf-8"))

    # Tasks: their step key and lane (actor).
    lane_of = {}
    for lane in process.iter("{%s}lane" % NS["bpmn"]):
        actor = lane.find("bpmn:extensionElements/sop:actor", NS).get("key")
        for ref in lane.findall("bpmn:flowNodeRef", NS):
            lane_of[ref.text] = actor
    tasks = {}
    for task in process.findall("bpmn:task", NS):
        step = task.find("bpmn:extensionElements/sop:step", NS)
        tasks[task.get("id")] = (step.get("key"), lane_of[task.get("id")])

    everyday = [{"from": "MONDAY", "to": "SUNDAY", "beginTime": "00:00:00.000", "endTime": "23:59:59.999"}]
    staff = profile["staff"]
    resource_profiles = []
    for actor, s in staff.items():
        resource_profiles.append({"id": "pool_" + actor, "name": actor, "resource_list": [
            {"id": actor, "name": actor, "cost_per_hour": 1, "amount": int(s["people"]), "calendar": "cal_" + actor,
             "assignedTasks": [t for t, (_, a) in tasks.items() if a == actor]}]})
    calendars = [{"id": "cal_" + actor, "name": actor, "time_periods": everyday} for actor in staff]

    def dist(d):
        assert d["distribution"] == "exponential", "the comparison model uses exponential durations"
        mean = seconds(d["mean"])
        return {"distribution_name": "expon", "distribution_params": [{"value": mean}, {"value": 0}, {"value": 1e9}]}

    task_resource_distribution = []
    for tid, (key, actor) in tasks.items():
        d = dist(profile["steps"][key]["duration"])
        task_resource_distribution.append({"task_id": tid, "resources": [dict(resource_id=actor, **d)]})

    gateways = []
    for gw in process.findall("bpmn:exclusiveGateway", NS):
        if gw.get("gatewayDirection") != "Diverging":
            continue
        source = gw.get("id").removesuffix("_split")
        key = tasks[source][0]
        branches = profile["steps"][key]["branches"]
        probabilities = []
        for flow in process.findall("bpmn:sequenceFlow", NS):
            if flow.get("sourceRef") == gw.get("id"):
                probabilities.append({"path_id": flow.get("id"), "value": branches[flow.get("name")]})
        gateways.append({"gateway_id": gw.get("id"), "probabilities": probabilities})

    per_day = float(profile["arrivals"]["per_day"])
    params = {
        "resource_profiles": resource_profiles,
        "resource_calendars": calendars,
        "arrival_time_calendar": everyday,
        "arrival_time_distribution": {"distribution_name": "expon",
                                      "distribution_params": [{"value": 86400 / per_day}, {"value": 0}, {"value": 1e9}]},
        "gateway_branching_probabilities": gateways,
        "task_resource_distribution": task_resource_distribution,
    }
    json_path = os.path.join(out, "params.json")
    json.dump(params, open(json_path, "w"), indent=2)

    random.seed(seed)
    numpy.random.seed(seed)
    stats, log = os.path.join(out, "stats.csv"), os.path.join(out, "log.csv")
    started = time.perf_counter()
    run_simulation(plain, json_path, cases, stat_out_path=stats, log_out_path=log,
                   starting_at=str(profile.get("start", "2026-01-05")) + "T00:00:00.000+07:00")
    elapsed = time.perf_counter() - started

    # Cycle time per case from the log: first enablement to last end.
    from datetime import datetime
    first, last = {}, {}
    busy = {}
    with open(log, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            c = row["case_id"]
            en = datetime.fromisoformat(row["enable_time"])
            st = datetime.fromisoformat(row["start_time"])
            nd = datetime.fromisoformat(row["end_time"])
            first[c] = min(first.get(c, en), en)
            last[c] = max(last.get(c, nd), nd)
            actor = tasks_by_name(tasks, process, row["activity"])
            busy[actor] = busy.get(actor, 0.0) + (nd - st).total_seconds()
    cycles = [(last[c] - first[c]).total_seconds() / 3600 for c in first]
    span = (max(last.values()) - min(first.values())).total_seconds()
    utilisation = {a: busy.get(a, 0.0) / (span * int(staff[a]["people"])) for a in staff}
    print(json.dumps({"cases": len(cycles), "meanCycleHours": sum(cycles) / len(cycles), "utilisation": utilisation,
                      "seconds": elapsed}, sort_keys=True))


def tasks_by_name(tasks, process, name):
    for task in process.findall("bpmn:task", NS):
        if task.get("name") == name:
            return tasks[task.get("id")][1]
    raise KeyError(name)


if __name__ == "__main__":
    main()
