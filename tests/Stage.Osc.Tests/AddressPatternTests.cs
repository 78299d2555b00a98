using Stage.Osc;

namespace Stage.Osc.Tests;

/// <summary>OSC 1.0 address-pattern matching and OSC 1.1's "//".</summary>
public class AddressPatternTests
{
    [Theory]
    // literal
    [InlineData("/camera/1/pose", "/camera/1/pose", true)]
    [InlineData("/camera/1/pose", "/camera/1/posex", false)]
    [InlineData("/camera/1", "/camera/1/pose", false)]
    // ? matches exactly one character
    [InlineData("/camera/?/pose", "/camera/1/pose", true)]
    [InlineData("/camera/?/pose", "/camera/12/pose", false)]
    [InlineData("/camera/?/pose", "/camera//pose", false)]
    // * matches any run within one part, never a '/'
    [InlineData("/camera/*/pose", "/camera/A/pose", true)]
    [InlineData("/camera/*/pose", "/camera//pose", true)]
    [InlineData("/camera/*", "/camera/A/pose", false)]
    [InlineData("/*/*/pose", "/camera/A/pose", true)]
    [InlineData("/cam*a/x", "/camera/x", true)]
    [InlineData("/cam*a/x", "/camerab/x", false)]
    [InlineData("/*e*e*/x", "/camerae/x", true)]
    [InlineData("/third/*", "/third/c", true)]
    // [abc] character sets, ranges, negation
    [InlineData("/second/[1-2]", "/second/1", true)]
    [InlineData("/second/[1-2]", "/second/2", true)]
    [InlineData("/second/[1-2]", "/second/3", false)]
    [InlineData("/x/[abc]", "/x/b", true)]
    [InlineData("/x/[abc]", "/x/d", false)]
    [InlineData("/x/[a-cx-z]", "/x/y", true)]
    [InlineData("/x/[!a-c]", "/x/d", true)]
    [InlineData("/x/[!a-c]", "/x/b", false)]
    [InlineData("/x/[!abc]z", "/x/qz", true)]
    [InlineData("/x/[a-]", "/x/-", true)]
    [InlineData("/x/[-a]", "/x/-", true)]
    [InlineData("/x/[ab", "/x/a", false)]
    // {foo,bar} alternatives
    [InlineData("/mixer/{fader,mute}/1", "/mixer/fader/1", true)]
    [InlineData("/mixer/{fader,mute}/1", "/mixer/mute/1", true)]
    [InlineData("/mixer/{fader,mute}/1", "/mixer/pan/1", false)]
    [InlineData("/mixer/{fa,fad}der", "/mixer/fadder", true)]
    [InlineData("/mixer/{a,b", "/mixer/a", false)]
    [InlineData("/{a,b}*[0-9]/?", "/bcd7/z", true)]
    // OSC 1.1 "//": any number of parts, including none
    [InlineData("//pose", "/camera/1/pose", true)]
    [InlineData("//pose", "/pose", true)]
    [InlineData("//pose", "/camera/1/posed", false)]
    [InlineData("/camera//pose", "/camera/pose", true)]
    [InlineData("/camera//pose", "/camera/a/b/c/pose", true)]
    [InlineData("/camera//pose", "/stage/a/pose", false)]
    [InlineData("//*/focus", "/camera/A/lens/focus", true)]
    [InlineData("//[0-9]/pose", "/rig/camera/7/pose", true)]
    // both must be addresses
    [InlineData("camera", "camera", false)]
    [InlineData("/a", "", false)]
    public void Pattern_matches_address(string pattern, string address, bool expected)
        => Assert.Equal(expected, OscAddressPattern.IsMatch(pattern, address));

    [Theory]
    [InlineData("/camera/1/pose", false)]
    [InlineData("/camera/*/pose", true)]
    [InlineData("/camera/[12]", true)]
    [InlineData("/camera/{a,b}", true)]
    [InlineData("//pose", true)]
    [InlineData("/x?", true)]
    public void Wildcards_are_recognised(string pattern, bool expected) => Assert.Equal(expected, OscAddressPattern.HasWildcards(pattern));

    [Fact]
    public void Specification_bundle_example_reaches_the_expected_methods()
    {
        string[] methods = ["/first/this/one", "/second/1", "/second/2", "/third/a", "/third/b", "/third/c"];
        Assert.Equal(["/second/1", "/second/2"], methods.Where(m => OscAddressPattern.IsMatch("/second/[1-2]", m)));
        Assert.Equal(["/third/a", "/third/b", "/third/c"], methods.Where(m => OscAddressPattern.IsMatch("/third/*", m)));
    }
}
