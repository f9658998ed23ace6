-- Neovim's built-in LSP client on a catalogue file: attach `sop lsp`, wait for the first
-- diagnostics, type a typo into an actor, read the diagnostic the client shows, ask for
-- completion there, and write what it saw as JSON to $SOP_OUT. Run headless by test_neovim.py.
local bin, root, out = os.getenv('SOP_BIN'), os.getenv('SOP_ROOT'), os.getenv('SOP_OUT')
local seen = { published = 0 }

local function finish(status)
  seen.status = status
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(seen))
  f:close()
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('SOP_FILE')))
  local ready = false
  local id = vim.lsp.start_client({
    name = 'sop',
    cmd = { bin, 'lsp' },
    root_dir = root,
    on_init = function() ready = true end,
    handlers = {
      ['textDocument/publishDiagnostics'] = function(e, result, ctx, config)
        seen.published = seen.published + 1
        return vim.lsp.diagnostic.on_publish_diagnostics(e, result, ctx, config)
      end,
    },
  })
  vim.lsp.buf_attach_client(0, id)
  if not vim.wait(20000, function() return ready and seen.published >= 1 end, 20) then return finish('no first diagnostics') end
  seen.initial = #vim.diagnostic.get(0)

  -- Type a typo: the first `actor: X` becomes `actor: Xx`, one keystroke at the end.
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  for n, line in ipairs(lines) do
    local s, e = line:find('^%s+actor: [%w-]+$')
    if s then
      seen.line = n - 1
      seen.col = #line
      break
    end
  end
  vim.api.nvim_buf_set_text(0, seen.line, seen.col, seen.line, seen.col, { 'x' })
  if not vim.wait(20000, function() return #vim.diagnostic.get(0) > seen.initial end, 20) then return finish('no diagnostic after the typo') end
  seen.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    table.insert(seen.diagnostics, { code = code, message = d.message, lnum = d.lnum, col = d.col, end_col = d.end_col, severity = d.severity })
  end

  -- Completion where the typo is: the actors of the file.
  local params = { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = seen.line, character = seen.col } }
  local responses = vim.lsp.buf_request_sync(0, 'textDocument/completion', params, 10000) or {}
  seen.completion = {}
  for _, r in pairs(responses) do
    local items = r.result and (r.result.items or r.result) or {}
    for _, item in ipairs(items) do table.insert(seen.completion, item.label) end
  end
  vim.lsp.stop_client(id)
  finish('ok')
end)
if not ok then
  seen.error = tostring(err)
  finish('error')
end
