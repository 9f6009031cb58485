; Every block, item body and list that spans lines folds.

[
  (block)
  (item_body)
  (list)
] @fold
