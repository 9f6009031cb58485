;;; e2e.el --- driven by tests/editors_emacs.rs  -*- lexical-binding: t -*-
;; Emacs in batch mode with eglot and the documented configuration
;; (docs/editors/mcl.el) opens main.mcl, which has a misspelled flag and
;; uses a template of lib.mcl; waits for the diagnostic (flymake), applies
;; the did-you-mean code action, renames the template across both files,
;; lists the outline (imenu), saves every buffer, and reports one
;; `key=value' a line to $E2E_OUT. Every wait is bounded.

(require 'cl-lib)
(setq mcl-mesosc-program (getenv "MESOSC_BIN"))
(load (getenv "E2E_CONFIG"))
(setq eglot-sync-connect t
      eglot-autoshutdown t
      eglot-events-buffer-size 0
      flymake-no-changes-timeout 0.1
      inhibit-message t)

(defvar e2e-report nil)
(defun e2e (key value)
  (push (format "%s=%s" key value) e2e-report))

(defun e2e-wait (pred seconds)
  "Run the event loop until PRED holds or SECONDS pass."
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05)
      (when (bound-and-true-p flymake-mode) (flymake-start)))
    (funcall pred)))

(defun e2e-flag-diagnostic ()
  (cl-find-if (lambda (d) (string-match-p "unknown mesos-agent flag"
                                          (flymake-diagnostic-text d)))
              (flymake-diagnostics)))

(defun e2e-run ()
  (find-file (expand-file-name "main.mcl" (getenv "E2E_DIR")))
  (e2e "mode" major-mode)
  (unless (eglot-current-server)
    (apply #'eglot (eglot--guess-contact)))
  (e2e "server" (if (eglot-current-server) "started" "none"))
  (e2e-wait #'e2e-flag-diagnostic 30)
  (let ((d (e2e-flag-diagnostic)))
    (e2e "diagnostic" (if d "unknown_flag" "none"))
    (when d
      (goto-char (flymake-diagnostic-beg d))
      (let* ((actions (jsonrpc-request
                       (eglot-current-server) :textDocument/codeAction
                       (list :textDocument (eglot--TextDocumentIdentifier)
                             :range (list :start (eglot--pos-to-lsp-position (point))
                                          :end (eglot--pos-to-lsp-position (point)))
                             :context (list :diagnostics [])))))
        (cl-loop for a across actions
                 do (e2e "action" (plist-get a :title))
                 (eglot--apply-workspace-edit (plist-get a :edit))))
      (e2e "fixed" (save-excursion (goto-char (point-min))
                                   (if (search-forward "isolation" nil t) "true" "false")))))
  ;; eglot 1.9 asks before editing a file no buffer visits.
  (find-file-noselect (expand-file-name "lib.mcl" (getenv "E2E_DIR")))
  (goto-char (point-min))
  (search-forward "uses worker")
  (backward-char 2)
  (eglot-rename "big-worker")
  ;; The outline: eglot's imenu groups the items by kind.
  (e2e "imenu" (mapconcat
                (lambda (group)
                  (format "%s:%s" (car group)
                          (mapconcat (lambda (x) (format "%s" (car x))) (cdr group) "+")))
                (funcall imenu-create-index-function) ","))
  (save-some-buffers t))

(condition-case err
    (e2e-run)
  (error (e2e "error" (error-message-string err))))
(with-temp-file (getenv "E2E_OUT")
  (insert (mapconcat #'identity (reverse e2e-report) "\n") "\n"))
(kill-emacs 0)
