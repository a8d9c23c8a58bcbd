namespace Routescope.Gateway.Hosting;

/// <summary>
/// Where this node keeps its files: the SQLite database and the usage spill file. Set as <c>Store:DataDirectory</c> in
/// appsettings.json; <c>GATEWAY_DATA_DIR</c> in the environment wins (the container images mount a volume there).
/// </summary>
internal sealed class DataDirectoryOptions
{
    public const string Setting = "Store:DataDirectory";
    public const string Variable = "GATEWAY_DATA_DIR";

    public string Path { get; set; } = "./data";

    /// <summary>The directory as an absolute path (relative paths are taken from the working directory).</summary>
    public string FullPath => System.IO.Path.GetFullPath(Path);

    /// <summary>A file of the data directory.</summary>
    public string File(string name) => System.IO.Path.Combine(FullPath, name);
}
