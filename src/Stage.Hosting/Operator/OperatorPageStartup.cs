namespace Stage.Hosting.Operator;

/// <summary>How <c>stage run</c> starts the page and tells the operator where it is.</summary>
public static class OperatorPageStartup
{
    /// <summary>
    /// Starts the page for <paramref name="parts"/> and prints its URL (and the token, when generated for this run)
    /// on <paramref name="output"/>. When the page cannot start (port in use, an address not this machine's), says
    /// why on <paramref name="error"/> and returns null: the stage runs on without it — the walls matter more than
    /// the page — and the operator sees the warning at once. Null too when <c>operator.web.enabled</c> is false.
    /// </summary>
    public static OperatorPage? TryStart(OperatorPageParts parts, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!parts.Stage.Operator.Web.Enabled)
        {
            output.WriteLine("operator page: off (operator.web.enabled is false)");
            return null;
        }
        OperatorPage page;
        try
        {
            page = OperatorPage.Start(parts);
        }
        catch (OperatorPageException e)
        {
            error.WriteLine($"warning: {e.Message}; the stage runs without its operator page");
            return null;
        }
        output.WriteLine($"operator page: {string.Join(" ", page.Urls)} (read-only without the operator token; controls send it in the {OperatorAccess.TokenHeader} header)");
        if (page.TokenGenerated)
            output.WriteLine($"operator token (generated for this run): {page.Access.Token} — or open {page.Urls[0]}#token={page.Access.Token}");
        else
            output.WriteLine("operator token: the one in operator.web.token");
        return page;
    }
}
