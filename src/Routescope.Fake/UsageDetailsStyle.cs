namespace Routescope.Fake;

/// <summary>How the usage details deviate from the plain form, as the real upstream's answers vary.</summary>
[Flags]
internal enum UsageDetailsStyle
{
    Normal = 0,
    NoCandidatesDetails = 1,
    EscapedModality = 2,
    ImageTwice = 4,
    NoPromptDetails = 8,
}
