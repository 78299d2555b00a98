using System.Text;

namespace Stage.Osc;

/// <summary>
/// OSC address-pattern matching: OSC 1.0's <c>?</c>, <c>*</c>, <c>[abc]</c>, <c>[a-z]</c>,
/// <c>[!…]</c>, <c>{foo,bar}</c> within one part of the address, and OSC 1.1's <c>//</c>, which
/// matches any number (zero or more) of whole address parts.
/// </summary>
/// <remarks>
/// Wildcards never match '/': every part of the pattern matches exactly one part of the address
/// (except <c>//</c>). A malformed pattern (an unclosed '[' or '{') matches nothing. Matching is on
/// UTF-8 bytes and allocates nothing.
/// </remarks>
public static class OscAddressPattern
{
    private static ReadOnlySpan<byte> Special => "*?[]{}"u8;

    /// <summary>True when <paramref name="pattern"/> uses any wildcard (including "//").</summary>
    public static bool HasWildcards(ReadOnlySpan<byte> pattern) =>
        pattern.IndexOfAny(Special) >= 0 || pattern.IndexOf("//"u8) >= 0;

    /// <summary>True when <paramref name="pattern"/> uses any wildcard (including "//").</summary>
    public static bool HasWildcards(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return HasWildcards(Encoding.UTF8.GetBytes(pattern));
    }

    /// <summary>True when the address pattern <paramref name="pattern"/> matches <paramref name="address"/>.</summary>
    public static bool IsMatch(string pattern, string address)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(address);
        return IsMatch(Encoding.UTF8.GetBytes(pattern), Encoding.UTF8.GetBytes(address));
    }

    /// <summary>True when the address pattern <paramref name="pattern"/> matches <paramref name="address"/> (UTF-8).</summary>
    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> address)
    {
        if (pattern.IsEmpty || address.IsEmpty || pattern[0] != (byte)'/' || address[0] != (byte)'/') return false;
        if (!HasWildcards(pattern)) return pattern.SequenceEqual(address);
        return MatchPath(pattern[1..], address[1..]);
    }

    // pattern and address both start just after a '/'.
    private static bool MatchPath(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> address)
    {
        while (true)
        {
            if (!pattern.IsEmpty && pattern[0] == (byte)'/')
            {
                // "//": skip zero or more whole address parts, then match the rest.
                var rest = pattern[1..];
                var candidate = address;
                while (true)
                {
                    if (MatchPath(rest, candidate)) return true;
                    var slash = candidate.IndexOf((byte)'/');
                    if (slash < 0) return false;
                    candidate = candidate[(slash + 1)..];
                }
            }
            var patternSlash = pattern.IndexOf((byte)'/');
            var addressSlash = address.IndexOf((byte)'/');
            var patternPart = patternSlash < 0 ? pattern : pattern[..patternSlash];
            var addressPart = addressSlash < 0 ? address : address[..addressSlash];
            if (!MatchPart(patternPart, addressPart)) return false;
            if (patternSlash < 0 || addressSlash < 0) return patternSlash < 0 && addressSlash < 0;
            pattern = pattern[(patternSlash + 1)..];
            address = address[(addressSlash + 1)..];
        }
    }

    private static bool MatchPart(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text)
    {
        while (!pattern.IsEmpty)
        {
            switch (pattern[0])
            {
                case (byte)'*':
                {
                    while (!pattern.IsEmpty && pattern[0] == (byte)'*') pattern = pattern[1..];
                    if (pattern.IsEmpty) return true;
                    for (var skip = 0; skip <= text.Length; skip++)
                    {
                        if (MatchPart(pattern, text[skip..])) return true;
                    }
                    return false;
                }
                case (byte)'?':
                    if (text.IsEmpty) return false;
                    pattern = pattern[1..];
                    text = text[1..];
                    break;
                case (byte)'[':
                {
                    var close = ClassEnd(pattern);
                    if (close < 0 || text.IsEmpty || !InClass(pattern[1..close], text[0])) return false;
                    pattern = pattern[(close + 1)..];
                    text = text[1..];
                    break;
                }
                case (byte)'{':
                {
                    var close = pattern.IndexOf((byte)'}');
                    if (close < 0) return false;
                    var alternatives = pattern[1..close];
                    var after = pattern[(close + 1)..];
                    while (true)
                    {
                        var comma = alternatives.IndexOf((byte)',');
                        var alternative = comma < 0 ? alternatives : alternatives[..comma];
                        if (text.StartsWith(alternative) && MatchPart(after, text[alternative.Length..])) return true;
                        if (comma < 0) return false;
                        alternatives = alternatives[(comma + 1)..];
                    }
                }
                default:
                    if (text.IsEmpty || text[0] != pattern[0]) return false;
                    pattern = pattern[1..];
                    text = text[1..];
                    break;
            }
        }
        return text.IsEmpty;
    }

    // Index of the ']' closing the class that opens at pattern[0]; a ']' right after '[' or "[!" is a member.
    private static int ClassEnd(ReadOnlySpan<byte> pattern)
    {
        var i = 1;
        if (i < pattern.Length && pattern[i] == (byte)'!') i++;
        if (i < pattern.Length && pattern[i] == (byte)']') i++;
        var close = pattern[i..].IndexOf((byte)']');
        return close < 0 ? -1 : i + close;
    }

    private static bool InClass(ReadOnlySpan<byte> members, byte c)
    {
        var negate = !members.IsEmpty && members[0] == (byte)'!';
        if (negate) members = members[1..];
        var found = false;
        for (var i = 0; i < members.Length; i++)
        {
            // "a-z" is a range; a '-' first or last is a literal minus.
            if (i + 2 < members.Length && members[i + 1] == (byte)'-')
            {
                if (c >= members[i] && c <= members[i + 2]) found = true;
                i += 2;
            }
            else if (members[i] == c)
            {
                found = true;
            }
        }
        return found != negate;
    }
}
