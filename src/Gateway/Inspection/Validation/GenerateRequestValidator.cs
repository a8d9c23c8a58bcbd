using System.Globalization;

using FluentValidation;

using Routescope.Gateway.Errors;

namespace Routescope.Gateway.Inspection.Validation;

/// <summary>
/// The rules a request must pass before any money is spent upstream. Every rule runs, so the client learns of all its
/// mistakes at once (the first <see cref="BoundedViolations.MaxReported"/> of them, the rest counted); each failure
/// names the JSON path as the client wrote it and what is accepted.
/// </summary>
internal sealed class GenerateRequestValidator : AbstractValidator<InspectionSubject>
{
    public GenerateRequestValidator()
    {
        RuleFor(subject => subject).Custom(static (subject, context) =>
        {
            foreach (var problem in subject.Shape.ReadProblems)
            {
                Fail(context, problem.Field, problem.Description);
            }

            Violations(context).Omit(subject.Shape.OmittedReadProblems);
        });
        RuleFor(subject => subject).Custom(Structure).When(NoFatalProblem);
        RuleFor(subject => subject).Custom(Prompt).When(subject => subject.ChecksCapabilities && NoFatalProblem(subject));
        RuleFor(subject => subject).Custom(ResponseModalities).When(subject => subject.ChecksCapabilities);
        RuleFor(subject => subject).Custom(ImageConfig).When(subject => subject.ChecksCapabilities);
        RuleFor(subject => subject).Custom(CandidateCount);
        RuleFor(subject => subject).Custom(MaxOutputTokens);
        RuleFor(subject => subject).Custom(InlineImages).When(subject => subject.ChecksCapabilities);
    }

    /// <summary>
    /// The violations of this validation run: the caller's, when it put a <see cref="BoundedViolations"/> in the
    /// context's root data under <see cref="ViolationsKey"/> to read them afterwards, else one of the run's own.
    /// </summary>
    public static BoundedViolations Violations(ValidationContext<InspectionSubject> context)
    {
        if (context.RootContextData.TryGetValue(ViolationsKey, out var existing) && existing is BoundedViolations violations)
        {
            return violations;
        }

        violations = new BoundedViolations();
        context.RootContextData[ViolationsKey] = violations;
        return violations;
    }

    public const string ViolationsKey = "Routescope.Violations";

    /// <summary>Reports a failure while fewer than the maximum have been, else only counts it.</summary>
    private static void Fail(ValidationContext<InspectionSubject> context, string field, string description)
    {
        var violations = Violations(context);
        if (violations.HasRoom)
        {
            violations.Add(field, description);
            context.AddFailure(field, description);
        }
        else
        {
            violations.Omit(1);
        }
    }

    private static bool NoFatalProblem(InspectionSubject subject) => !subject.Shape.ReadProblems.Any(problem => problem.Field == "$");

    private static void Structure(InspectionSubject subject, ValidationContext<InspectionSubject> context)
    {
        switch (subject.Shape.ContentsCount)
        {
            case null:
                Fail(context, "contents", "required: the request needs at least one content with parts");
                return;
            case 0:
                Fail(context, "contents", "must not be empty");
                return;
        }
    }

    private static void Prompt(InspectionSubject subject, ValidationContext<InspectionSubject> context)
    {
        if (subject.Capabilities!.GeneratesImages && subject.Shape.TextParts == 0 && subject.Shape.ContentsCount > 0)
        {
            Fail(context, "contents[].parts[].text", $"{subject.Model} needs a non-empty text part: the prompt or the editing instruction");
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
                Fail(context, $"{modalities.Path}[{i}]",
                    $"\"{modalities.Value[i]}\" is not supported by {subject.Model} (supported: {string.Join(", ", model.ResponseModalities)})");
            }
        }

        if (model.RequiredModality is { } required && !modalities.Value.Contains(required, StringComparer.Ordinal))
        {
            Fail(context, modalities.Path, $"must contain \"{required}\" for {subject.Model} (e.g. [\"{required}\"] or [\"TEXT\",\"{required}\"])");
        }
    }

    private static void ImageConfig(InspectionSubject subject, ValidationContext<InspectionSubject> context)
    {
        var model = subject.Capabilities!;
        if (subject.Shape.AspectRatio is { } ratio && !model.AspectRatios.Contains(ratio.Value, StringComparer.Ordinal))
        {
            Fail(context, ratio.Path, model.AspectRatios.Count == 0
                ? $"is not supported by {subject.Model}"
                : $"\"{ratio.Value}\" is not supported by {subject.Model} (supported: {string.Join(", ", model.AspectRatios)})");
        }

        if (subject.Shape.ImageSize is { } size && !model.ImageSizes.Contains(size.Value, StringComparer.Ordinal))
        {
            var hint = model.ImageSizes.Contains(size.Value.ToUpperInvariant(), StringComparer.Ordinal) ? $"; sizes use an upper-case K: \"{size.Value.ToUpperInvariant()}\"" : string.Empty;
            Fail(context, size.Path, model.ImageSizes.Count == 0
                ? $"is not supported by {subject.Model}; remove it (only models that list image sizes accept it)"
                : $"\"{size.Value}\" is not supported by {subject.Model} (supported: {string.Join(", ", model.ImageSizes)}){hint}");
        }
    }

    private static void MaxOutputTokens(InspectionSubject subject, ValidationContext<InspectionSubject> context)
    {
        if (subject.Shape.MaxOutputTokens is { Value: < 1 or > int.MaxValue } tokens)
        {
            Fail(context, tokens.Path, "must be between 1 and 2147483647");
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
            Fail(context, count.Path, max == int.MaxValue
                ? "must be at least 1"
                : string.Create(CultureInfo.InvariantCulture, $"{count.Value} is not supported by {subject.Model} (1 to {max})"));
        }
    }

    private static void InlineImages(InspectionSubject subject, ValidationContext<InspectionSubject> context)
    {
        // The reader already judged what needs no catalog (base64, signatures) for every image; these are the model's
        // limits. Its kept images are at least as many as any model accepts, so a request within the count is judged whole.
        var model = subject.Capabilities!;
        var shape = subject.Shape;
        if (shape.InlineImageCount > model.MaxInlineImages)
        {
            Fail(context, "contents[].parts[].inlineData",
                string.Create(CultureInfo.InvariantCulture, $"{shape.InlineImageCount} inline images; {subject.Model} accepts at most {model.MaxInlineImages}"));
        }

        foreach (var image in shape.InlineImages)
        {
            if (image.MimeType is { } mime && !model.InlineMimeTypes.Contains(mime.Value, StringComparer.Ordinal))
            {
                Fail(context, mime.Path, $"\"{mime.Value}\" is not supported by {subject.Model} (supported: {string.Join(", ", model.InlineMimeTypes)})");
            }

            if (image.Base64Valid && image.DataPath is not null && image.DecodedLength == 0)
            {
                Fail(context, image.DataPath, "must not be empty");
            }

            if (image.DecodedLength > model.MaxImageBytes)
            {
                Fail(context, image.DataPath ?? image.Path,
                    string.Create(CultureInfo.InvariantCulture, $"image of {image.DecodedLength} bytes; {subject.Model} accepts at most {model.MaxImageBytes} bytes per image"));
            }
        }

        if (shape.InlineImageBytes > model.MaxTotalImageBytes)
        {
            Fail(context, "contents[].parts[].inlineData",
                string.Create(CultureInfo.InvariantCulture, $"inline images total {shape.InlineImageBytes} bytes; {subject.Model} accepts at most {model.MaxTotalImageBytes}"));
        }
    }
}
