// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Haven.Cli.Output;

/// <summary>Prints results: text or JSON to stdout, messages and errors to stderr.</summary>
internal sealed class Printer
{
    private readonly Lock _gate = new();

    public Printer(bool json, bool quiet)
    {
        Json = json;
        Quiet = quiet;
    }

    public bool Json { get; }

    public bool Quiet { get; }

    /// <summary>A result line on stdout (listings print even with --quiet: they are what was asked for).</summary>
    public void Line(string text)
    {
        lock (_gate)
        {
            Console.Out.WriteLine(text);
        }
    }

    /// <summary>A result line whose text may hold raw (non-UTF-8) name bytes: written byte for byte.</summary>
    public void RawLine(string text)
    {
        byte[] bytes = Format.RawName.Encode(text + "\n");
        lock (_gate)
        {
            Console.Out.Flush();
            using var stdout = Console.OpenStandardOutput();
            stdout.Write(bytes);
        }
    }

    /// <summary>A message for a person on stderr, suppressed by --quiet and --json.</summary>
    public void Note(string text)
    {
        if (Quiet || Json)
        {
            return;
        }

        lock (_gate)
        {
            Console.Error.WriteLine(text);
        }
    }

    public void Warning(string text)
    {
        lock (_gate)
        {
            Console.Error.WriteLine(text);
        }
    }

    public void JsonLine<T>(T value, JsonTypeInfo<T> type)
    {
        string text = JsonSerializer.Serialize(value, type);
        lock (_gate)
        {
            Console.Out.WriteLine(text);
        }
    }

    public void Error(Exception error, int exitCode)
    {
        lock (_gate)
        {
            if (Json)
            {
                Console.Error.WriteLine(JsonSerializer.Serialize(new ErrorMessage("exit_error", exitCode, error.Message), CliJson.Output.ErrorMessage));
            }
            else
            {
                Console.Error.WriteLine($"Fatal: {error.Message}");
            }
        }
    }
}
