using System.Text.Encodings.Web;
using System.Text.Json;

namespace Stage.Hosting.Operator;

/// <summary>
/// How the page's JSON is written: quotes and non-ASCII text as themselves (an error reads "address" and "…", not
/// \u0022 and \u2026). Safe here: every response is served as application/json with nosniff, never inlined in HTML.
/// </summary>
internal static class JsonOutput
{
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
