; Scopes and definitions: a `for` body and an environment overlay are
; scopes; `let` and `for` bind names; templates are defined at top level and
; referenced after `uses`.

(source_file) @local.scope
(for) @local.scope
(environment) @local.scope

(let name: (identifier) @local.definition)
(for variable: (identifier) @local.definition)
(template name: (identifier) @local.definition)

(uses template: (identifier) @local.reference)
(identifier) @local.reference
