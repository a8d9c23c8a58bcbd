namespace Routescope.Fake;

/// <summary>
/// The request headers that steer the fake upstream. Gateway tests send them to the gateway, which forwards client
/// headers, so a header is how one request picks one behaviour. A value the fake does not know is answered with 400,
/// so a typo in a test fails loudly instead of quietly testing the default.
/// </summary>
public static class FakeHeaders
{
    /// <summary>Raw bytes of each returned image (final and thought images); 0 returns no image.</summary>
    public const string ImageBytes = "x-fake-image-bytes";

    /// <summary>An HTTP status of 400 or more answers with a Gemini error and bills nothing.</summary>
    public const string Status = "x-fake-status";

    /// <summary>Milliseconds to wait before the response headers; the work is billed even if the caller leaves meanwhile.</summary>
    public const string DelayMs = "x-fake-delay-ms";

    /// <summary>
    /// Milliseconds the fake pauses after each flush of a generate answer (each image chunk, each event), as a model
    /// that generates at its own pace: a caller that leaves mid-answer is then noticed at the next flush.
    /// </summary>
    public const string PaceMs = "x-fake-pace-ms";

    /// <summary>Forces the Content-Encoding of generate answers whatever Accept-Encoding says: see <see cref="Encodings"/>.</summary>
    public const string Encoding = "x-fake-encoding";

    /// <summary>How the usage details are written, comma-separated: see <see cref="UsageDetailsValues"/>.</summary>
    public const string UsageDetails = "x-fake-usage-details";

    /// <summary>cachedContentTokenCount: tokens of cached context, added to (and part of) promptTokenCount.</summary>
    public const string CachedTokens = "x-fake-cached-tokens";

    /// <summary>toolUsePromptTokenCount: tokens outside promptTokenCount, counted in totalTokenCount.</summary>
    public const string ToolUseTokens = "x-fake-tool-use-tokens";

    /// <summary>Thinking text tokens, added to thoughtsTokenCount (with a thought text part in the answer).</summary>
    public const string ThoughtsTokens = "x-fake-thoughts-tokens";

    /// <summary>Interim images with <c>"thought": true</c> before the final one; gemini-3-pro-image-preview has 2 by default.</summary>
    public const string ThoughtImages = "x-fake-thought-images";

    /// <summary>
    /// Usage fields, comma-separated, that only the earlier events of a stream carry and the final event omits:
    /// <c>thoughtsTokenCount</c>, <c>cachedContentTokenCount</c>, <c>toolUsePromptTokenCount</c>, <c>promptTokensDetails</c>.
    /// </summary>
    public const string EarlyUsage = "x-fake-early-usage";

    /// <summary>A refusal finish reason: see <see cref="Refusals"/>. No image is returned; prompt and thinking are billed.</summary>
    public const string Refusal = "x-fake-refusal";

    /// <summary>SSE framing, comma-separated: see <see cref="SseValues"/>.</summary>
    public const string Sse = "x-fake-sse";

    /// <summary>Abort the connection once this many events (a generateContent answer is one event) are sent.</summary>
    public const string BreakAfterEvents = "x-fake-break-after-events";

    /// <summary>Abort the connection once this many body bytes (as sent, after any compression) are sent.</summary>
    public const string BreakAfterBytes = "x-fake-break-after-bytes";

    /// <summary><c>true</c>: an error answered through <see cref="Status"/> also carries a usageMetadata, which is not billed.</summary>
    public const string ErrorUsage = "x-fake-error-usage";

    /// <summary>
    /// Hold the answer once this many body bytes (as sent) are out, flushed, until the caller leaves: an upstream that
    /// stalls (0 = after the headers).
    /// </summary>
    public const string StallAfterBytes = "x-fake-stall-after-bytes";

    /// <summary>Abort the connection in the middle of this event (1-based): after its candidates, before its usage.</summary>
    public const string BreakInEvent = "x-fake-break-in-event";

    /// <summary>A 200 whose body is not the answer: see <see cref="Bodies"/>. The generation is billed all the same.</summary>
    public const string Body = "x-fake-body";

    /// <summary>
    /// A model name: the other steering headers apply only to requests for that model, the others get the normal
    /// answer. The gateway forwards the client's headers to every model of a fallback chain; this steers one of them.
    /// </summary>
    public const string SteerModel = "x-fake-steer-model";

    /// <summary>Any value; kept on the ledger entry as <see cref="FakeLedgerEntry.Tag"/> so tests can sum by their own keys.</summary>
    public const string Tag = "x-fake-tag";

    /// <summary>Values of <see cref="Encoding"/>.</summary>
    public static class Encodings
    {
        public const string Identity = "identity";
        public const string Gzip = "gzip";

        /// <summary>The zlib format (RFC 1950), which is what <c>deflate</c> means in HTTP.</summary>
        public const string Deflate = "deflate";

        /// <summary>Raw deflate (RFC 1951, no zlib header) labelled <c>deflate</c>, as some servers send.</summary>
        public const string RawDeflate = "deflate-raw";

        public const string Brotli = "br";

        /// <summary>Labelled <c>zstd</c>: the zstd magic number, then the body scrambled (XOR 0x5A), so nothing can read it.</summary>
        public const string Zstd = "zstd";
    }

    /// <summary>Values of <see cref="UsageDetails"/>.</summary>
    public static class UsageDetailsValues
    {
        public const string Normal = "normal";
        public const string NoCandidatesDetails = "no-candidates-details";

        /// <summary>The IMAGE modality written <c>"IM\u0041GE"</c>: the same string to a JSON reader, other bytes to a byte matcher.</summary>
        public const string EscapedModality = "escaped-modality";

        /// <summary>IMAGE listed twice, the two amounts summing to the image tokens.</summary>
        public const string ImageTwice = "image-twice";

        public const string NoPromptDetails = "no-prompt-details";
    }

    /// <summary>Values of <see cref="Refusal"/>.</summary>
    public static class Refusals
    {
        public const string ImageSafety = "IMAGE_SAFETY";
        public const string ImageProhibitedContent = "IMAGE_PROHIBITED_CONTENT";
        public const string NoImage = "NO_IMAGE";
        public const string Safety = "SAFETY";
    }

    /// <summary>Values of <see cref="Sse"/>; the default is what Google sends: <c>data: </c> lines, CRLF, nothing else.</summary>
    public static class SseValues
    {
        /// <summary><c>: keep-alive</c> lines, and a comment line holding usage JSON that is not data.</summary>
        public const string Comments = "comments";

        /// <summary>An <c>event: message</c> line before each event's data.</summary>
        public const string EventLines = "events";

        public const string LfOnly = "lf";
        public const string CrLf = "crlf";

        /// <summary>Each payload split across several <c>data:</c> lines (the SSE reader joins them with LF).</summary>
        public const string SplitData = "split";
    }

    /// <summary>Values of <see cref="Body"/>: what an upstream (or something in front of it) sends instead of the answer.</summary>
    public static class Bodies
    {
        /// <summary>An HTML error page, <c>text/html</c>.</summary>
        public const string Html = "html";

        /// <summary>Binary bytes, <c>application/octet-stream</c>.</summary>
        public const string Binary = "binary";

        /// <summary>Binary bytes labelled <c>application/json</c>.</summary>
        public const string BinaryAsJson = "binary-json";

        /// <summary>The start of an answer, cut inside an image's data, sent whole with a matching Content-Length.</summary>
        public const string TruncatedJson = "truncated-json";
    }
}
