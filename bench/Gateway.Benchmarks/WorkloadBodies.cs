using System.Text;

namespace Routescope.Gateway.Benchmarks;

/// <summary><c>--write-bodies DIR</c>: the request bodies of bench/run's workloads.</summary>
internal static class WorkloadBodies
{
    public static int Write(string[] args)
    {
        var directory = args[Array.IndexOf(args, "--write-bodies") + 1];
        Directory.CreateDirectory(directory);

        // About 1 KB: a text prompt, as a small text generateContent sends.
        var prompt = "Write a short product description for a lighthouse-themed desk lamp. " + string.Concat(Enumerable.Repeat("Warm light, brass finish, dimmable. ", 24));
        File.WriteAllText(Path.Combine(directory, "text.json"),
            "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"" + prompt + "\"}]}],\"generationConfig\":{\"temperature\":0.7,\"maxOutputTokens\":256}}");

        File.WriteAllText(Path.Combine(directory, "image.json"),
            """{"contents":[{"role":"user","parts":[{"text":"A lighthouse at dusk, watercolour"}]}],"generationConfig":{"responseModalities":["IMAGE"],"imageConfig":{"aspectRatio":"16:9"}}}""");

        // An edit with a 10 MB inline image (7.5 MB of PNG-signed bytes, base64).
        var image = new byte[7_500_000];
        new Random(6).NextBytes(image);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        png.CopyTo(image, 0);
        var edit = new StringBuilder("""{"contents":[{"role":"user","parts":[{"text":"Make it a flat illustration"},{"inline_data":{"mime_type":"image/png","data":""" + "\"")
            .Append(Convert.ToBase64String(image))
            .Append("\"}}]}],\"generationConfig\":{\"responseModalities\":[\"IMAGE\"]}}");
        File.WriteAllText(Path.Combine(directory, "edit.json"), edit.ToString());
        Console.WriteLine($"bodies written to {directory}");
        return 0;
    }
}
