; MCL highlights. Capture names follow the common set that Neovim
; (nvim-treesitter), Helix and Zed all map to theme colours. No node is
; captured twice (Helix keeps the first match, Neovim the last).

(comment) @comment

[
  "cluster"
  "host"
  "template"
  "service"
  "environment"
  "let"
] @keyword

[
  "for"
  "in"
] @keyword.repeat

"import" @keyword.import
"uses" @keyword

(boolean) @boolean
(auto) @constant.builtin

(integer) @number
(unit_literal) @number
(address) @constant

(string) @string
(string_content) @string
(escape_sequence) @string.escape
(interpolation
  "${" @punctuation.special
  "}" @punctuation.special)

; Declarations
(cluster name: (identifier) @label)
(host name: (identifier) @label)
(service name: (identifier) @label)
(environment name: (identifier) @label)
(template name: (identifier) @type.definition)
(uses template: (identifier) @type)
(let name: (identifier) @variable)
(for variable: (identifier) @variable)
(section name: (identifier) @module)

; Block keys
(entry key: (identifier) @property)
(entry key: (dotted_key) @property)
(entry key: (string) @property)

(call function: (identifier) @function.builtin)

; Values: variables where arithmetic or interpolation reads them, symbols
; (`native`, `leader`, a host's name) elsewhere.
(interpolation (identifier) @variable)
(binary_expression (identifier) @variable)
(unary_expression (identifier) @variable)
(range (identifier) @variable)
(for iterable: (identifier) @variable)
(let value: (identifier) @constant)
(entry value: (identifier) @constant)
(list (identifier) @constant)
(call arguments: (identifier) @variable)

[
  "="
  ".."
  "+"
  "-"
  "*"
  "/"
  "%"
] @operator

[
  "{"
  "}"
  "["
  "]"
  "("
  ")"
] @punctuation.bracket

"," @punctuation.delimiter
