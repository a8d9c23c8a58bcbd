using System.Globalization;

using FluentValidation;

namespace Routescope.Gateway.Inspection.Validation;

/// <summary>
/// The rules a request must pass before any money is spent upstream. Every rule runs, so the client learns of all its
/// mistakes at once; each failure names the JSON path as the client wrote it and what is accepted.
/// </summary>
internal sealed class GenerateRequestValidator : AbstractValidator<InspectionSubject>
{
    public GenerateRequestValidator()
    {
        RuleFor(subject => subject).Custom(static (subject, context) =>
        {
            foreach (var problem in subject.Shape.ReadProblems)
            {
                context.AddFailure(problem.Field, problem.Description);
            }
        });
        RuleFor(subject => subject).Custom(Structure).When(NoFatalProblem);
        RuleFor(subject => subject).Custom(Prompt).When(subject => subject.ChecksCapabilities && NoFatalProblem(subject));
        RuleFor(subject => subject).Custom(ResponseModalities).When(subject => subject.ChecksCapabilities);
        RuleFor(subject => subject).Custom(ImageConfig).When(subject => subject.ChecksCapabilities);
        RuleFor(subject => subject).Custom(CandidateCount);
        RuleFor(subject => subject).Custom(MaxOutputTokens);
        RuleFor(subject => subject).Custom(InlineImages).When(subject => subject.ChecksCapabilities);
    }

    private static bool NoFatalProblem(InspectionSubject subject) => !subject.Shape.ReadProblems.Any(problem => problem.Field == "$");

    private static void Structure(InspectionSubject subject, ValidationContext<InspectionSubject> context)
    {
        switch (subject.Shape.ContentsCount)
        {
            case null:
                context.AddFailure("contents", "required: the request needs at least one content with parts");
                return;
            case 0:
                context.AddFailure("contents", "must not be empty");
                return;
        }

        foreach (var parts in subject.Shape.Parts)
        {
            if (parts.Value is null)
            {
                context.AddFailure(parts.Path, "required: every content needs parts");
            }
            else if (parts.Value == 0)
            {
                context.AddFailure(parts.Path, "must not be empty");
            }
        }
    }

    private static void Prompt(InspectionSubject subject, ValidationContext<InspectionSubject> context)
    {
        if (subject.Capabilities!.GeneratesImages && subject.Shape.TextParts == 0 && subject.Shape.ContentsCount > 0)
        {
            context.AddFailure("contents[].parts[].text", $"{subject.Model} needs a non-empty text part: the prompt or the editing instruction");
        }
    }

    private static void ResponseModalities(InspectionSubject subject, ValidationContext<InspectionSubject> context)
    {
        if (subject.Shape.ResponseModalities is not { } modalities)
        {
            return;
        }

        var model = subject.Capabilities!;
        for (var i = 0; i < modalities.Value.Count; i++)
        {
            if (!model.ResponseModalities.Contains(modalities.Value[i], StringComparer.Ordinal))
            {
                context.AddFailure($"{modalities.Path}[{i}]",
                    $"\"{modalities.Value[i]}\" is not supported by {subject.Model} (supported: {string.Join(", ", model.ResponseModalities)})");
            }
        }

        if (model.RequiredModality is { } required && !modalities.Value.Contains(required, StringComparer.Ordinal))
        {
            context.AddFailure(modalities.Path, $"must contain \"{required}\" for {subject.Model} (e.g. [\"{required}\"] or [\"TEXT\",\"{required}\"])");
        }
    }

    private static void ImageConfig(InspectionSubject subject, ValidationContext<InspectionSubject> context)
    {
        var model = subject.Capabilities!;
        if (subject.Shape.AspectRatio is { } ratio && !model.AspectRatios.Contains(ratio.Value, StringComparer.Ordinal))
        {
            context.AddFailure(ratio.Path, model.AspectRatios.Count == 0
                ? $"is not supported by {subject.Model}"
                : $"\"{ratio.Value}\" is not supported by {subject.Model} (supported: {string.Join(", ", model.AspectRatios)})");
        }

        if (subject.Shape.ImageSize is { } size && !model.ImageSizes.Contains(size.Value, StringComparer.Ordinal))
        {
            var hint = model.ImageSizes.Contains(size.Value.ToUpperInvariant(), StringComparer.Ordinal) ? $"; sizes use an upper-case K: \"{size.Value.ToUpperInvariant()}\"" : string.Empty;
            context.AddFailure(size.Path, model.ImageSizes.Count == 0
                ? $"is not supported by {subject.Model}; remove it (only models that list image sizes accept it)"
                : $"\"{size.Value}\" is not supported by {subject.Model} (supported: {string.Join(", ", model.ImageSizes)}){hint}");
        }
    }

    private static void MaxOutputTokens(InspectionSubject subject, ValidationContext<InspectionSubject> context)
    {
        if (subject.Shape.MaxOutputTokens is { Value: < 1 or > int.MaxValue } tokens)
        {
            context.AddFailure(tokens.Path, "must be between 1 and 2147483647");
        }
    }

    private static void CandidateCount(InspectionSubject subject, ValidationContext<InspectionSubject> context)
    {
        if (subject.Shape.CandidateCount is not { } count)
        {
            return;
        }

        var max = subject.ChecksCapabilities ? subject.Capabilities!.MaxCandidateCount : int.MaxValue;
        if (count.Value < 1 || count.Value > max)
        {
            context.AddFailure(count.Path, max == int.MaxValue
                ? "must be at least 1"
                : string.Create(CultureInfo.InvariantCulture, $"{count.Value} is not supported by {subject.Model} (1 to {max})"));
        }
    }

    private static void InlineImages(InspectionSubject subject, ValidationContext<InspectionSubject> context)
    {
        var model = subject.Capabilities!;
        var images = subject.Shape.InlineImages;
        if (images.Count > model.MaxInlineImages)
        {
            context.AddFailure("contents[].parts[].inlineData",
                string.Create(CultureInfo.InvariantCulture, $"{images.Count} inline images; {subject.Model} accepts at most {model.MaxInlineImages}"));
        }

        long total = 0;
        foreach (var image in images)
        {
            total += image.DecodedLength;
            if (image.MimeType is { } mime)
            {
                if (!model.InlineMimeTypes.Contains(mime.Value, StringComparer.Ordinal))
                {
                    context.AddFailure(mime.Path, $"\"{mime.Value}\" is not supported by {subject.Model} (supported: {string.Join(", ", model.InlineMimeTypes)})");
                }
                else if (image.Base64Valid && image.DecodedLength > 0 && ImageSignatures.IsCheckable(mime.Value)
                    && !ImageSignatures.Matches(mime.Value, ImageSignatures.Detect(image.Head)))
                {
                    var actual = ImageSignatures.Detect(image.Head);
                    context.AddFailure(image.DataPath ?? image.Path,
                        $"the data is not {mime.Value}" + (actual is null ? " (its first bytes match no supported image format)" : $" (it looks like {actual})"));
                }
            }

            if (image.Base64Valid && image.DataPath is not null && image.DecodedLength == 0)
            {
                context.AddFailure(image.DataPath, "must not be empty");
            }

            if (image.DecodedLength > model.MaxImageBytes)
            {
                context.AddFailure(image.DataPath ?? image.Path,
                    string.Create(CultureInfo.InvariantCulture, $"image of {image.DecodedLength} bytes; {subject.Model} accepts at most {model.MaxImageBytes} bytes per image"));
            }
        }

        if (total > model.MaxTotalImageBytes)
        {
            context.AddFailure("contents[].parts[].inlineData",
                string.Create(CultureInfo.InvariantCulture, $"inline images total {total} bytes; {subject.Model} accepts at most {model.MaxTotalImageBytes}"));
        }
    }
}
