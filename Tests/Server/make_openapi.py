#!/usr/bin/env python3
"""Writes openapi.json (OpenAPI 3.1, the REST API of `sop serve`) and its copy compiled into
the server, Sources/SOPServer/OpenAPIDocument.swift. Run from the repository root:
    python3 Tests/Server/make_openapi.py
The Swift tests check that both are what this script writes (no drift)."""
import json, sys

def ref(name): return {"$ref": f"#/components/schemas/{name}"}
def arr(x): return {"type": "array", "items": x}
S = {"type": "string"}
I = {"type": "integer"}
B = {"type": "boolean"}

def obj(props, required):
    return {"type": "object", "properties": props, "required": required}

schemas = {
    "Error": obj({"error": obj({"status": I, "message": S, "code": {"type": "string", "pattern": "^R[0-9]{3}$"},
                                "allowed": arr(S)}, ["status", "message"])}, ["error"]),
    "Me": obj({"name": S, "display_name": S, "roles": arr(S)}, ["name", "display_name", "roles"]),
    "Actor": obj({"key": S, "name": S}, ["key", "name"]),
    "SOP": obj({"id": S, "name": S, "number": S, "actors": arr(ref("Actor")), "duration_classes": arr(S), "steps": I},
               ["id", "name", "actors", "duration_classes", "steps"]),
    "Task": obj({"case": S, "case_version": I, "sop": S, "sop_name": S, "step": S, "label": S, "actor_key": S, "actor_name": S,
                 "activated_at": {"type": "string", "format": "date-time"}, "deadline": {"type": "string", "format": "date-time"},
                 "deadline_text": S, "working_days_left": I, "overdue": B},
                ["case", "case_version", "sop", "sop_name", "step", "label", "activated_at", "overdue"]),
    "CaseListItem": obj({"id": S, "sop": S, "sop_name": S, "status": {"enum": ["running", "completed", "cancelled"]}, "version": I,
                         "started_at": {"type": "string", "format": "date-time"}, "sla_deadline": {"type": "string", "format": "date-time"},
                         "sla_breached": B, "open_steps": arr(S)},
                        ["id", "sop", "sop_name", "status", "version", "started_at", "sla_breached", "open_steps"]),
    "OpenStep": obj({"step": S, "label": S, "actors": arr(ref("Actor")), "decision": B, "branches": arr(S), "documents": arr(S),
                     "deadline": {"type": "string", "format": "date-time"}, "deadline_text": S, "working_days_left": I,
                     "overdue": B, "child_case": S},
                    ["step", "label", "actors", "decision", "branches", "documents", "overdue"]),
    "Event": obj({"sequence": I, "kind": S, "at": {"type": "string", "format": "date-time"}, "text": S, "person": S},
                 ["sequence", "kind", "at", "text"]),
    "Case": obj({"id": S, "sop": S, "sop_name": S, "status": {"enum": ["running", "completed", "cancelled"]}, "version": I,
                 "sla_deadline": {"type": "string", "format": "date-time"}, "sla_breached": B,
                 "open": arr(ref("OpenStep")), "history": arr(ref("Event"))},
                ["id", "sop", "sop_name", "status", "version", "sla_breached", "open", "history"]),
    "ActResult": obj({"case": S, "version": I, "status": {"enum": ["running", "completed", "cancelled"]}, "events": arr(ref("Event"))},
                     ["case", "version", "status", "events"]),
    "Waiver": obj({"document": S, "reason": S}, ["document", "reason"]),
    "StartCase": obj({"sop": S, "class": S}, ["sop"]),
    "Complete": obj({"step": S, "documents": arr(S), "waivers": arr(ref("Waiver")), "note": S, "last": B, "version": I}, ["step"]),
    "Decide": obj({"step": S, "branch": S, "documents": arr(S), "waivers": arr(ref("Waiver")), "note": S, "version": I}, ["step", "branch"]),
    "Respond": obj({"step": S, "note": S, "version": I}, ["step"]),
    "Cancel": obj({"reason": S, "version": I}, ["reason"]),
}

def err(desc): return {"description": desc, "content": {"application/json": {"schema": ref("Error")}}}
def ok(schema, desc="OK", status="200"): return {status: {"description": desc, "content": {"application/json": {"schema": schema}}}}
COMMON = {"400": err("The request is malformed (a body that is not the JSON this endpoint takes, a bad query value)."),
          "401": err("Not logged in: no bearer token, or a token that is not valid."),
          "503": err("The store's database cannot be reached (R018; nodes on PostgreSQL): nothing was recorded; try again after Retry-After seconds.")}
CASE_ID = {"name": "id", "in": "path", "required": True, "schema": S, "description": "The case id (case-000001)."}
LANG = {"name": "Accept-Language", "in": "header", "required": False, "schema": S,
        "description": "Messages in Indonesian (id, the default) or English (en)."}

def op(summary, opid, responses, params=(), body=None, extra=()):
    o = {"summary": summary, "operationId": opid, "parameters": [LANG, *params], "responses": {**responses, **COMMON}}
    for code, desc in extra: o["responses"][code] = err(desc)
    if body:
        o["requestBody"] = {"required": True, "content": {"application/json": {"schema": ref(body)}}}
        o["responses"]["413"] = err("The body is larger than 64 KiB.")
    return o

ACT_ERRORS = [("403", "The user does not hold the step's actor (or is not an admin for cancel); `allowed` names who may act."),
              ("404", "No such case or step (R015, R007)."),
              ("409", "Another user changed the case first (R006): `version` is not the case's version."),
              ("422", "A rule refused the command: its R-code and message.")]

paths = {
    "/api/me": {"get": op("Who the token belongs to", "me", ok(ref("Me")))},
    "/api/catalog": {"get": op("The catalogue's SOPs", "listSOPs", ok(arr(ref("SOP"))))},
    "/api/tasks": {"get": op("My tasks: open steps of my roles, by deadline", "myTasks", ok(arr(ref("Task"))))},
    "/api/cases": {
        "get": op("Cases, filtered", "listCases", ok(arr(ref("CaseListItem"))), params=[
            {"name": "status", "in": "query", "required": False, "schema": {"enum": ["running", "completed", "cancelled"]}},
            {"name": "sop", "in": "query", "required": False, "schema": S},
            {"name": "actor", "in": "query", "required": False, "schema": S, "description": "Cases with an open step of this actor key."},
            {"name": "overdue", "in": "query", "required": False, "schema": {"enum": ["true", "false"]}}]),
        "post": op("Start a case (admins)", "startCase", ok(ref("Case"), "Started", "201"), body="StartCase",
                   extra=[("403", "Only an admin starts cases."), ("422", "No such SOP (R016) or a duration class is needed (R010).")]),
    },
    "/api/cases/{id}": {"get": op("A case: status, open steps, deadlines, history", "showCase", ok(ref("Case")), params=[CASE_ID],
                                  extra=[("404", "No such case (R015).")])},
    "/api/cases/{id}/events": {"get": op("A case's events, with the person of each", "caseEvents", ok(arr(ref("Event"))), params=[CASE_ID],
                                         extra=[("404", "No such case (R015).")])},
    "/api/cases/{id}/xes": {"get": {**op("A case's event log as XES (IEEE 1849)", "caseXES", {}, params=[CASE_ID], extra=[("404", "No such case (R015).")]),
                                    }},
    "/api/cases/{id}/complete": {"post": op("Complete an open step", "completeStep", ok(ref("ActResult")), params=[CASE_ID], body="Complete", extra=ACT_ERRORS)},
    "/api/cases/{id}/decide": {"post": op("Take a branch of an open decision", "decideStep", ok(ref("ActResult")), params=[CASE_ID], body="Decide", extra=ACT_ERRORS)},
    "/api/cases/{id}/respond": {"post": op("Record a response on an open step", "respondStep", ok(ref("ActResult")), params=[CASE_ID], body="Respond", extra=ACT_ERRORS)},
    "/api/cases/{id}/cancel": {"post": op("Cancel a running case (admins)", "cancelCase", ok(ref("ActResult")), params=[CASE_ID], body="Cancel", extra=ACT_ERRORS)},
}
paths["/api/cases/{id}/xes"]["get"]["responses"]["200"] = {"description": "The XES document",
    "content": {"application/xml": {"schema": S}}}

doc = {
    "openapi": "3.1.0",
    "info": {"title": "sop serve", "version": "1.0.0",
             "description": "The runtime of the SOP catalogue as a service: cases, steps acted on by the people holding their actors, deadlines in hari kerja. Scripts authenticate with `Authorization: Bearer <token>` (`sop user token NAME`)."},
    "servers": [{"url": "/"}],
    "security": [{"bearer": []}],
    "paths": paths,
    "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "An API token made with `sop user token`."}}},
}

text = json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
swift = ('/// The OpenAPI 3.1 document of the REST API, served at `/openapi.json`. Generated by\n'
         '/// Tests/Server/make_openapi.py together with `openapi.json` at the repository root; do not edit.\n'
         'enum OpenAPIDocument {\n    static let json = #"""\n' + text + '\n"""#\n}\n')
if "--check" in sys.argv:
    ok_ = open("openapi.json").read() == text and open("Sources/SOPServer/OpenAPIDocument.swift").read() == swift
    print("openapi.json is up to date" if ok_ else "openapi.json or OpenAPIDocument.swift differs: run python3 Tests/Server/make_openapi.py")
    sys.exit(0 if ok_ else 1)
open("openapi.json", "w").write(text)
open("Sources/SOPServer/OpenAPIDocument.swift", "w").write(swift)
