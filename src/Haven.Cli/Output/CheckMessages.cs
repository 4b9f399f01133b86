// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using System.Text.Json.Nodes;
using Haven.Backup.Checking;

namespace Haven.Cli.Output;

/// <summary>The JSON that 'check --json' prints: status lines while reading data, then one summary.</summary>
internal static class CheckMessages
{
    public static JsonObject Problem(CheckProblem problem)
    {
        var node = new JsonObject
        {
            ["message_type"] = problem.IsError ? "error" : "hint",
            ["kind"] = problem.Kind.ToString(),
            ["message"] = problem.Message,
        };
        AddId(node, "index", problem.Index);
        AddId(node, "pack", problem.Pack);
        AddId(node, "snapshot", problem.Snapshot);
        if (problem.Blobs.Count > 0)
        {
            node["blobs"] = new JsonArray([.. problem.Blobs.Select(b => (JsonNode)new JsonObject { ["id"] = b.Id.ToString(), ["type"] = b.Type == Format.BlobType.Tree ? "tree" : "data" })]);
        }

        if (problem.Affected.Count > 0)
        {
            node["affected"] = new JsonArray([.. problem.Affected.Select(p => (JsonNode)JsonValue.Create(p))]);
        }

        return node;
    }

    public static JsonObject Summary(CheckResult result) => new()
    {
        ["message_type"] = "summary",
        ["snapshots"] = result.Snapshots,
        ["trees"] = result.Trees,
        ["packs"] = result.Packs,
        ["packs_read"] = result.PacksRead,
        ["errors"] = result.Problems.Count(p => p.IsError),
        ["hints"] = result.Problems.Count(p => !p.IsError),
        ["problems"] = new JsonArray([.. result.Problems.Select(p => (JsonNode)Problem(p))]),
    };

    public static JsonObject Status(CheckStatus status, TimeSpan elapsed) => new()
    {
        ["message_type"] = "status",
        ["seconds_elapsed"] = (long)elapsed.TotalSeconds,
        ["percent_done"] = status.BytesToRead > 0 ? (double)status.BytesDone / status.BytesToRead : 0,
        ["total_packs"] = status.PacksToRead,
        ["packs_done"] = status.PacksDone,
        ["total_bytes"] = status.BytesToRead,
        ["bytes_done"] = status.BytesDone,
    };

    private static void AddId(JsonObject node, string name, Format.Id? id)
    {
        if (id is Format.Id value)
        {
            node[name] = value.ToString();
        }
    }
}
