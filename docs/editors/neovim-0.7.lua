-- mesosc's language server for MCL in Neovim 0.7 to 0.10, with no plugin.
-- Put it in your init.lua (or `dofile` it), and ftdetect/mcl.vim in
-- ~/.config/nvim/ftdetect/. Optional: vim.g.mesosc_path (default "mesosc")
-- and vim.g.mesosc_env (an environment overlay, as `mesosc check --env`).
-- One server per project: the folder holding mesosc.toml, else the file's.
local clients = {}

vim.api.nvim_create_autocmd('FileType', {
  pattern = 'mcl',
  callback = function(args)
    local dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(args.buf), ':p:h')
    local marker = vim.fn.findfile('mesosc.toml', dir .. ';')
    local root = marker ~= '' and vim.fn.fnamemodify(marker, ':p:h') or dir
    local id = clients[root]
    if not id or not vim.lsp.get_client_by_id(id) then
      id = vim.lsp.start_client({
        name = 'mesosc',
        cmd = { vim.g.mesosc_path or 'mesosc', 'lsp' },
        root_dir = root,
        init_options = { env = vim.g.mesosc_env },
      })
      clients[root] = id
    end
    if id then
      vim.lsp.buf_attach_client(args.buf, id)
    end
  end,
})
