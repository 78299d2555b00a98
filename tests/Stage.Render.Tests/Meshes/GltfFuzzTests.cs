using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Stage.Render.Meshes;

namespace Stage.Render.Tests.Meshes;

/// <summary>Damaged input never raises anything but <see cref="GltfException"/>.</summary>
public class GltfFuzzTests
{
    /// <summary>A GLB using most of what the loader reads: hierarchy, TRS and matrix, strides, three index types, materials.</summary>
    private static readonly byte[] Valid = BuildValid();

    private static byte[] BuildValid()
    {
        var b = new GltfBuilder();
        int red = b.AddMaterial(new Vector4(1, 0, 0, 1));
        b.AddCubeMesh(0.5f, red, 5121);
        MeshData sphere = MeshPrimitives.Sphere(1, 8);
        (int p, int n) = b.AddInterleaved(sphere.PositionsM.ToArray(), sphere.Normals.ToArray());
        b.AddMesh(GltfBuilder.Primitive(p, n, b.AddIndices(sphere.Indices.ToArray(), 5125)), GltfBuilder.Primitive(p, indices: b.AddIndices([0, 1, 2], 5123)));
        b.AddNode(new JsonObject { ["mesh"] = 0, ["translation"] = new JsonArray(1, 2, 3), ["rotation"] = new JsonArray(0, 0, 0, 1), ["children"] = new JsonArray(1) });
        b.AddNode(new JsonObject { ["mesh"] = 1, ["matrix"] = new JsonArray(2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 1, 0, 1) });
        b.AddScene(0);
        return b.ToGlb();
    }

    private static void LoadsOrRefuses(byte[] bytes)
    {
        try
        {
            GltfModel model = GltfLoader.LoadGlb(bytes, "fuzz.glb");
            // Whatever loads is a usable mesh: in range, finite.
            foreach (GltfMesh mesh in model.Meshes)
            {
                foreach (uint i in mesh.Mesh.Indices) Assert.True(i < mesh.Mesh.VertexCount);
            }
            _ = model.ToSceneMesh();
        }
        catch (GltfException)
        {
            // The one allowed failure.
        }
    }

    [Fact]
    public void The_fuzz_seed_itself_loads()
    {
        GltfModel model = GltfLoader.LoadGlb(Valid, "seed.glb");
        Assert.Equal(2, model.Instances.Count);
        model.ToSceneMesh().Validate();
    }

    [Fact]
    public void Every_truncation_of_a_valid_glb_is_refused_with_a_gltf_exception()
    {
        for (int length = 0; length < Valid.Length; length++)
        {
            byte[] cut = Valid[..length];
            Assert.Throws<GltfException>(() => GltfLoader.LoadGlb(cut, "cut.glb"));
        }
    }

    [Fact]
    public void Random_bit_flips_anywhere_only_ever_raise_gltf_exceptions()
    {
        Prop.ForAll(
            Gen.Choose(0, Valid.Length * 8 - 1).ArrayOf().Select(a => a.Take(8).ToArray()).ToArbitrary(),
            bits =>
            {
                byte[] bytes = (byte[])Valid.Clone();
                foreach (int bit in bits) bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                LoadsOrRefuses(bytes);
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void Random_byte_changes_in_the_json_chunk_only_ever_raise_gltf_exceptions()
    {
        // The JSON chunk is where structure lives: set bytes there to digits, quotes, brackets and letters.
        int jsonLength = BitConverter.ToInt32(Valid, 12);
        byte[] alphabet = Encoding.ASCII.GetBytes("0123456789-.e,:[]{}\" abcnrstu");
        Prop.ForAll(
            Gen.Choose(20, 20 + jsonLength - 1).Zip(Gen.Elements(alphabet)).ArrayOf().Select(a => a.Take(6).ToArray()).ToArbitrary(),
            changes =>
            {
                byte[] bytes = (byte[])Valid.Clone();
                foreach ((int at, byte value) in changes) bytes[at] = value;
                LoadsOrRefuses(bytes);
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }

    [Fact]
    public void Numbers_in_the_json_replaced_by_extreme_values_only_ever_raise_gltf_exceptions()
    {
        string json = Encoding.UTF8.GetString(Valid, 20, BitConverter.ToInt32(Valid, 12));
        byte[] bin = Valid[(20 + BitConverter.ToInt32(Valid, 12) + 8)..];
        var numbers = System.Text.RegularExpressions.Regex.Matches(json, "-?[0-9]+(\\.[0-9]+)?(e-?[0-9]+)?").ToArray();
        string[] extremes = ["0", "-1", "1", "3", "4", "5", "255", "65535", "4294967295", "4294967296", "2147483647", "9223372036854775807", "1e308", "-0", "0.5", "5126", "5121", "5125", "34962"];
        Prop.ForAll(
            Gen.Choose(0, numbers.Length - 1).Zip(Gen.Elements(extremes)).ArrayOf().Select(a => a.Take(3).ToArray()).ToArbitrary(),
            changes =>
            {
                var text = new StringBuilder(json);
                foreach ((int which, string value) in changes.OrderByDescending(c => numbers[c.Item1].Index).DistinctBy(c => c.Item1))
                {
                    text.Remove(numbers[which].Index, numbers[which].Length).Insert(numbers[which].Index, value);
                }
                LoadsOrRefuses(GltfBuilder.Glb(Encoding.UTF8.GetBytes(text.ToString()), bin));
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }
}
