" MCL files: `*.mcl` is MCL, not the generic `conf` Neovim and Vim guess
" from the `#` comments. Copy to ~/.config/nvim/ftdetect/ (or add this
" folder to 'runtimepath').
autocmd BufRead,BufNewFile *.mcl set filetype=mcl
