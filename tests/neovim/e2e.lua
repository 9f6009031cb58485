-- Driven by tests/editors_neovim.rs: headless Neovim with the documented
-- configuration (docs/editors/neovim-0.7.lua, ftdetect on 'runtimepath')
-- opens main.mcl, which has a misspelled flag and uses a template of
-- lib.mcl; waits for the diagnostic, applies the did-you-mean code action,
-- renames the template across both files, lists the document symbols,
-- writes every buffer, and reports what happened, one `key=value` a line,
-- to $E2E_OUT. Requests 0.7 has no command for go through
-- vim.lsp.buf_request_sync. Every wait is bounded.
local out = {}
local function report(key, value)
  out[#out + 1] = key .. '=' .. tostring(value)
end

local function run()
  vim.g.mesosc_path = os.getenv('MESOSC_BIN')
  dofile(os.getenv('E2E_CONFIG'))
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('E2E_DIR') .. '/main.mcl'))
  local buf = vim.api.nvim_get_current_buf()
  report('filetype', vim.bo[buf].filetype)

  local function flag_diagnostic()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'mcl::check::unknown_flag' then
        return d
      end
    end
  end
  vim.wait(20000, function() return flag_diagnostic() ~= nil end, 50)
  local d = flag_diagnostic()
  report('diagnostic', d and d.code or 'none')
  if not d then
    return
  end

  -- The code action at the diagnostic.
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = {} }
  local results = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 10000) or {}
  for _, r in pairs(results) do
    for _, action in ipairs(r.result or {}) do
      report('action', action.title)
      if action.edit then
        vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
      end
    end
  end
  report('fixed', vim.fn.search('isolation', 'nw') > 0)
  vim.wait(20000, function() return flag_diagnostic() == nil end, 50)
  report('diagnostic_after', flag_diagnostic() and 'still' or 'cleared')

  -- Rename the template at `uses worker`.
  local line = vim.fn.search('uses worker', 'nw')
  local col = vim.fn.getline(line):find('worker') - 1
  vim.api.nvim_win_set_cursor(0, { line, col })
  local rename = vim.lsp.util.make_position_params()
  rename.newName = 'big-worker'
  local renamed = vim.lsp.buf_request_sync(buf, 'textDocument/rename', rename, 10000) or {}
  for _, r in pairs(renamed) do
    if r.error then
      report('rename_error', r.error.message)
    elseif r.result then
      local files = 0
      for _ in pairs(r.result.changes or {}) do
        files = files + 1
      end
      report('rename_files', files)
      vim.lsp.util.apply_workspace_edit(r.result, 'utf-16')
    end
  end

  -- The outline.
  local symbols = vim.lsp.buf_request_sync(buf, 'textDocument/documentSymbol',
    { textDocument = vim.lsp.util.make_text_document_params() }, 10000) or {}
  for _, r in pairs(symbols) do
    local names = {}
    for _, s in ipairs(r.result or {}) do
      names[#names + 1] = s.name
    end
    report('symbols', table.concat(names, ','))
  end
  vim.cmd('silent wall')
end

local ok, err = pcall(run)
if not ok then
  report('error', err)
end
vim.fn.writefile(out, os.getenv('E2E_OUT'))
vim.cmd('qall!')
