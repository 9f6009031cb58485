;;; mcl.el --- MCL files with mesosc's language server, through eglot  -*- lexical-binding: t -*-
;; Load it from your init file: (load "/path/to/mesosc/docs/editors/mcl.el").
;; Emacs 29 has eglot built in; on Emacs 28 install it (Debian: elpa-eglot).
;; `mcl-mesosc-program' is the mesosc executable.

(require 'eglot)

(defvar mcl-mesosc-program "mesosc"
  "The mesosc executable that serves the language (`mesosc lsp').")

(define-derived-mode mcl-mode prog-mode "MCL"
  "Major mode for MCL, the Mesos Cluster Language."
  (setq-local comment-start "# ")
  (setq-local comment-start-skip "#+\\s-*")
  (modify-syntax-entry ?# "<" mcl-mode-syntax-table)
  (modify-syntax-entry ?\n ">" mcl-mode-syntax-table)
  (modify-syntax-entry ?_ "_" mcl-mode-syntax-table)
  (modify-syntax-entry ?- "_" mcl-mode-syntax-table))

(add-to-list 'auto-mode-alist '("\\.mcl\\'" . mcl-mode))
(add-to-list 'eglot-server-programs
             `(mcl-mode . ,(lambda (&rest _) (list mcl-mesosc-program "lsp"))))
(add-hook 'mcl-mode-hook #'eglot-ensure)

(provide 'mcl)
;;; mcl.el ends here
