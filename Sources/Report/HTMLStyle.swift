/// The inline stylesheet of the HTML report: the file must work offline, attached to a ticket,
/// under a Content-Security-Policy that forbids everything but inline style.
/// System fonts only; the severity colours are the ones the matrix legend names. A matrix wider
/// than the page (a run touching most of the 19 categories) scrolls inside its card with the
/// host column pinned, so each row still says whose it is.
enum HTMLStyle {
    static let css = """
    :root { --regression: #c62828; --regression-bg: #fdecea; --warning: #a86500; --warning-bg: #fff4e0;
      --info: #1a5fb4; --info-bg: #e8f0fb; --ok: #2e7d32; --ok-bg: #e8f5e9; --unchecked: #5f6368;
      --unchecked-bg: #eceff1; --line: #dde1e6; --text: #1f2328; --muted: #656d76; }
    * { box-sizing: border-box; }
    body { margin: 0; padding: 24px 32px 48px; color: var(--text); background: #f6f8fa;
      font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main { max-width: 1200px; margin: 0 auto; }
    h1 { font-size: 22px; margin: 0 0 4px; }
    h2 { font-size: 17px; margin: 0 0 12px; display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
    h3 { font-size: 14px; margin: 16px 0 8px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
    .total { font-size: 16px; font-weight: 600; margin: 8px 0 2px; }
    .meta, .legend, .muted { color: var(--muted); }
    .card > :last-child { margin-bottom: 0; }
    .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 18px 20px; margin-top: 20px; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
    .text, .mono, .matrix th.host { overflow-wrap: anywhere; }
    thead th { font-size: 12px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: .03em; }
    .scroll { overflow-x: auto; }
    .matrix td.cell { text-align: center; font-weight: 600; border: 2px solid #fff; border-radius: 4px; padding: 6px 4px; }
    .matrix td.cell.wide { text-align: left; font-weight: 400; padding-left: 10px; }
    .matrix thead th { text-align: center; font-size: 11px; }
    .matrix thead th:first-child { text-align: left; }
    .matrix th.host { min-width: 180px; max-width: 320px; }
    .matrix th.host, .matrix thead th:first-child { position: sticky; left: 0; z-index: 1; background: #fff; }
    .matrix th.host a { color: var(--text); text-decoration: none; font-weight: 600; }
    .matrix th.host a:hover { text-decoration: underline; }
    .sev-regression { color: var(--regression); background: var(--regression-bg); }
    .sev-warning { color: var(--warning); background: var(--warning-bg); }
    .sev-info { color: var(--info); background: var(--info-bg); }
    .sev-ok { color: var(--ok); background: var(--ok-bg); }
    .sev-unchecked { color: var(--unchecked); background: var(--unchecked-bg); }
    .sev-none { color: #afb8c1; background: #fafbfc; }
    .badge { display: inline-block; padding: 1px 9px; border-radius: 10px; font-size: 12px; font-weight: 600;
      text-transform: uppercase; letter-spacing: .03em; }
    .counts { font-size: 13px; font-weight: 400; color: var(--muted); }
    .error { padding: 10px 12px; border-left: 4px solid var(--unchecked); background: var(--unchecked-bg);
      border-radius: 4px; white-space: pre-wrap; }
    code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
    td.sev { white-space: nowrap; font-weight: 600; }
    .kind { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11.5px; color: var(--muted); }
    .explained { font-size: 12px; color: var(--muted); }
    .explained.unexplained { color: var(--warning); font-weight: 600; }
    .findings td.sev-cell-regression { color: var(--regression); }
    .findings td.sev-cell-warning { color: var(--warning); }
    .findings td.sev-cell-info { color: var(--info); }
    .findings td, .facts th, .facts td { vertical-align: baseline; }
    .facts th { width: 180px; color: var(--muted); font-weight: 500; }
    details { margin-top: 12px; }
    summary { cursor: pointer; color: var(--info); }
    .legend span { display: inline-block; padding: 1px 8px; margin-right: 6px; border-radius: 4px; font-size: 12px; }
    """
}
