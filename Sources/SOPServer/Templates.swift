/// The pages' Mustache templates. `{{x}}` is HTML-escaped by swift-mustache (`<`, `>`, `&`,
/// `"`, `'`); only the layout's `{{{body}}}` takes HTML, and that HTML comes from these
/// templates rendered with escaping. Kept in the binary so that `sop` runs from anywhere.
enum Templates {
    static let all: [String: String] = [
        "layout": layout, "login": login, "tasks": tasks, "case": casePage, "cases": cases, "catalog": catalog, "error": error,
    ]

    static let layout = """
    <!DOCTYPE html>
    <html lang="{{lang}}">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}} — sop</title>
    <link rel="stylesheet" href="/static/style.css">
    <link rel="icon" href="/static/icon.svg">
    </head>
    <body>
    <a class="skip" href="#main">{{t.skip}}</a>
    <header class="top">
    <span class="brand">sop</span>
    {{#user}}
    <nav aria-label="{{t.menu}}">
    <a href="/tasks">{{t.myTasks}}</a>
    <a href="/cases">{{t.cases}}</a>
    <a href="/catalog">{{t.catalog}}</a>
    </nav>
    <form method="post" action="/logout" class="logout">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <span class="who">{{displayName}} ({{name}})</span>
    <button type="submit">{{t.logout}}</button>
    </form>
    {{/user}}
    <form method="post" action="/language" class="lang">
    <input type="hidden" name="to" value="{{otherLang}}">
    <button type="submit" lang="{{otherLang}}">{{otherLangName}}</button>
    </form>
    </header>
    <main id="main">
    {{{body}}}
    </main>
    </body>
    </html>
    """

    static let login = """
    <h1>{{t.login}}</h1>
    {{#message}}<p class="error" role="alert">{{message}}</p>{{/message}}
    <form method="post" action="/login" class="card">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <p><label for="name">{{t.userName}}</label><br><input id="name" name="name" autocomplete="username" required autofocus value="{{name}}"></p>
    <p><label for="password">{{t.password}}</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
    <p><button type="submit" id="login">{{t.login}}</button></p>
    </form>
    """

    static let tasks = """
    <h1>{{t.myTasks}}</h1>
    <p>{{t.now}}: {{now}}</p>
    {{^tasks}}<p class="empty">{{t.noTasks}}</p>{{/tasks}}
    {{#hasTasks}}
    <table class="tasks">
    <caption>{{t.tasksCaption}}</caption>
    <thead><tr><th scope="col">{{t.deadline}}</th><th scope="col">{{t.step}}</th><th scope="col">{{t.actor}}</th><th scope="col">{{t.case}}</th></tr></thead>
    <tbody>
    {{#tasks}}
    <tr class="{{#overdue}}overdue{{/overdue}}">
    <td>{{#deadline}}<span class="date">{{deadline}}</span><br><span class="left">{{left}}</span>{{#overdue}} <strong class="badge">{{t.overdue}}</strong>{{/overdue}}{{/deadline}}{{^deadline}}—{{/deadline}}</td>
    <td><a href="/cases/{{caseID}}#step-{{step}}">{{number}}. {{label}}</a></td>
    <td>{{actor}}</td>
    <td><a href="/cases/{{caseID}}">{{caseID}}</a><br><span class="sop">{{sopName}}</span></td>
    </tr>
    {{/tasks}}
    </tbody>
    </table>
    {{/hasTasks}}
    """

    static let casePage = """
    <h1>{{sopName}} <span class="case-id">{{id}}</span></h1>
    {{#message}}<p class="error" role="alert">{{message}}</p>{{/message}}
    <p>{{t.status}}: <strong>{{status}}</strong> · {{t.version}} {{version}}{{#sla}} · SLA {{sla}} ({{slaLeft}}){{#slaBreached}} <strong class="badge">{{t.slaBreached}}</strong>{{/slaBreached}}{{/sla}}</p>
    <h2>{{t.openSteps}}</h2>
    {{^open}}<p class="empty">{{t.noOpenSteps}}</p>{{/open}}
    {{#open}}
    <section class="step{{#overdue}} overdue{{/overdue}}" id="step-{{step}}" aria-labelledby="h-{{step}}">
    <h3 id="h-{{step}}">{{number}}. {{label}}</h3>
    <p>{{t.actor}}: {{actors}}{{#deadline}} · {{t.deadline}}: {{deadline}} ({{left}}){{#overdue}} <strong class="badge">{{t.overdue}}</strong>{{/overdue}}{{/deadline}}</p>
    {{#child}}<p>{{t.waitsForChild}} <a href="/cases/{{child}}">{{child}}</a></p>{{/child}}
    {{#mayAct}}
    <form method="post" action="/cases/{{caseID}}/act" class="act">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <input type="hidden" name="step" value="{{step}}">
    <input type="hidden" name="version" value="{{version}}">
    {{#hasDocuments}}
    <fieldset><legend>{{t.documents}}</legend>
    {{#documents}}
    <p><input type="checkbox" id="doc-{{step}}-{{index}}" name="documents" value="{{name}}"> <label for="doc-{{step}}-{{index}}">{{name}}</label>
    <br><label for="waive-{{step}}-{{index}}">{{t.waiveReason}}</label> <input id="waive-{{step}}-{{index}}" name="waive:{{name}}" size="30"></p>
    {{/documents}}
    </fieldset>
    {{/hasDocuments}}
    <p><label for="note-{{step}}">{{t.note}}</label><br><textarea id="note-{{step}}" name="note" rows="2" cols="50"></textarea></p>
    <p>
    {{#decision}}{{#branches}}<button type="submit" name="branch" value="{{.}}" class="decide">{{t.decide}}: {{.}}</button> {{/branches}}{{/decision}}
    {{^decision}}<button type="submit" name="action" value="complete" class="complete">{{t.complete}}</button>{{/decision}}
    <button type="submit" name="action" value="respond" class="respond">{{t.respond}}</button>
    </p>
    </form>
    {{/mayAct}}
    {{^mayAct}}{{^child}}<p class="notice">{{t.onlyActors}}: {{actors}}</p>{{/child}}{{/mayAct}}
    </section>
    {{/open}}
    {{#isAdmin}}{{#running}}
    <form method="post" action="/cases/{{caseID}}/act" class="cancel">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <input type="hidden" name="version" value="{{version}}">
    <p><label for="reason">{{t.cancelReason}}</label> <input id="reason" name="reason" required>
    <button type="submit" name="action" value="cancel">{{t.cancel}}</button></p>
    </form>
    {{/running}}{{/isAdmin}}
    <h2>{{t.flow}}</h2>
    <p><a href="/sheet?id={{sopID}}">{{t.sheet}}</a></p>
    {{#flowchart}}<figure class="flowchart">
    <div class="drawing" aria-hidden="true">{{{flowchart}}}</div>
    <figcaption>{{t.flowchartCaption}}</figcaption>
    </figure>{{/flowchart}}
    <ol class="flow" aria-label="{{t.stepsList}}">
    {{#flow}}<li class="{{kind}}{{#current}} current{{/current}}{{#done}} done{{/done}}"{{#current}} aria-current="step"{{/current}}>{{text}}{{#current}} <strong>← {{t.now}}</strong>{{/current}}</li>
    {{/flow}}
    </ol>
    <h2>{{t.history}}</h2>
    <ol class="history">
    {{#history}}<li>{{text}}{{#person}} <span class="person">— {{person}}</span>{{/person}}</li>
    {{/history}}
    </ol>
    """

    static let cases = """
    <h1>{{t.cases}}</h1>
    {{#message}}<p class="error" role="alert">{{message}}</p>{{/message}}
    {{#isAdmin}}
    <form method="post" action="/cases" class="card">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <p><label for="sop">{{t.startCase}}</label><br>
    <select id="sop" name="sop">{{#sops}}<option value="{{id}}">{{name}} ({{id}})</option>{{/sops}}</select></p>
    <p><label for="class">{{t.durationClass}}</label> <input id="class" name="class" size="10"></p>
    <p><button type="submit" id="start">{{t.start}}</button></p>
    </form>
    {{/isAdmin}}
    <table>
    <caption>{{t.casesCaption}}</caption>
    <thead><tr><th scope="col">{{t.case}}</th><th scope="col">SOP</th><th scope="col">{{t.status}}</th><th scope="col">{{t.openSteps}}</th></tr></thead>
    <tbody>
    {{#cases}}<tr><td><a href="/cases/{{id}}">{{id}}</a></td><td>{{sopName}}</td><td>{{status}}</td><td>{{open}}</td></tr>
    {{/cases}}
    </tbody>
    </table>
    """

    static let catalog = """
    <h1>{{t.catalog}}</h1>
    <ul class="catalog">
    {{#sops}}<li><a href="/sheet?id={{id}}">{{name}}</a> <span class="sop">{{id}}</span></li>
    {{/sops}}
    </ul>
    """

    static let error = """
    <h1>{{heading}}</h1>
    <p class="error" role="alert">{{message}}</p>
    {{#allowed}}<p>{{t.whoMay}}: {{allowed}}</p>{{/allowed}}
    <p><a href="/tasks">{{t.myTasks}}</a></p>
    """

    static let css = """
    body { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; margin: 0; color: #1a1a1a; background: #fafafa; line-height: 1.45; }
    .skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px; }
    header.top { display: flex; flex-wrap: wrap; gap: 16px; align-items: center; padding: 8px 16px; background: #0b3d91; color: #fff; }
    header.top a { color: #fff; margin-right: 12px; } .brand { font-weight: bold; }
    header.top form { display: inline; margin: 0; } .who { margin-right: 8px; }
    main { padding: 16px; max-width: 1100px; }
    table { border-collapse: collapse; width: 100%; background: #fff; } caption { text-align: left; font-weight: bold; padding: 4px 0; }
    th, td { border: 1px solid #ccc; padding: 6px 8px; text-align: left; vertical-align: top; }
    tr.overdue, section.overdue { background: #fdecea; } .badge { color: #fff; background: #b00020; padding: 1px 6px; border-radius: 3px; }
    .error { color: #b00020; font-weight: bold; } .sop, .person, .case-id { color: #555; font-size: 90%; }
    section.step { border: 1px solid #ccc; background: #fff; padding: 8px 12px; margin-bottom: 12px; }
    ol.flow li.current { font-weight: bold; background: #fff3c4; outline: 2px solid #e0a800; }
    ol.flow li.done { color: #555; }
    figure.flowchart { margin: 8px 0 16px; } figure.flowchart .drawing { overflow-x: auto; background: #fff; border: 1px solid #ccc; }
    figure.flowchart svg { max-width: 100%; height: auto; } figure.flowchart figcaption { font-size: 90%; color: #444; }
    g.node.current polygon, g.node.current path, g.node.current ellipse { fill: #fff3c4; stroke: #e0a800; stroke-width: 3px; }
    g.node.done polygon, g.node.done path, g.node.done ellipse { fill: #e3f4e1; } .card { background: #fff; border: 1px solid #ccc; padding: 8px 16px; max-width: 520px; }
    button { padding: 4px 12px; } :focus-visible { outline: 3px solid #e0a800; }
    """

    static let icon = """
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b3d91"/><path d="M4 8h8M8 4v8" stroke="#fff" stroke-width="2"/></svg>
    """
}
