; MCL indentation: one level inside blocks, item bodies, lists, calls and
; parentheses (nvim-treesitter and Helix capture names).

[
  (block)
  (item_body)
  (list)
  (call)
  (parenthesized_expression)
] @indent @indent.begin

[
  "}"
  "]"
  ")"
] @outdent @indent.branch
