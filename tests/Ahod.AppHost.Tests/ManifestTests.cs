using System.Text.Json.Nodes;
using Json.Schema;

namespace Ahod.AppHost.Tests;

public sealed class ManifestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Manifest_ValidatesAgainstAspiresSchema_WithContainersProjectsAndSecretParameters()
    {
        var folder = Path.Combine(AppHostProcess.RepoRoot, ".ahod", $"manifest-{Guid.NewGuid():N}");
        var path = Path.Combine(folder, "aspire-manifest.json");
        try
        {
            await using (var publisher = AppHostProcess.Start("--publisher", "manifest", "--output-path", path))
            {
                (await publisher.WaitForExitAsync(TimeSpan.FromMinutes(2))).ShouldBe(0, publisher.Output);
            }

            var text = await File.ReadAllTextAsync(path, Ct);
            var manifest = JsonNode.Parse(text)!;
            var schema = JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "aspire-manifest.schema.json"));
            using var document = System.Text.Json.JsonDocument.Parse(text);
            var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            result.IsValid.ShouldBeTrue(string.Join(Environment.NewLine, (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));

            var resources = manifest["resources"]!.AsObject();
            foreach (var server in new[] { "postgres", "redis", "rabbitmq" })
            {
                resources[server]!["type"]!.GetValue<string>().ShouldBe("container.v0", server);
            }

            foreach (var project in new[] { "identity", "payments", "savings", "gateway" })
            {
                resources[project]!["type"]!.GetValue<string>().ShouldBe("project.v0", project);
                var projectPath = resources[project]!["path"]!.GetValue<string>();
                Path.IsPathRooted(projectPath).ShouldBeFalse(projectPath);
                File.Exists(Path.Combine(folder, projectPath)).ShouldBeTrue(projectPath);
            }

            resources["identitydb"]!["connectionString"]!.GetValue<string>().ShouldBe("{postgres.connectionString};Database=identitydb");
            resources["payments"]!["env"]!["ConnectionStrings__paymentsdb"]!.GetValue<string>().ShouldBe("{paymentsdb.connectionString}");
            resources["gateway"]!["env"]!["services__payments__http__0"]!.GetValue<string>().ShouldBe("{payments.bindings.http.url}");
            resources["gateway"]!["bindings"]!["http"]!["external"]!.GetValue<bool>().ShouldBeTrue();
            resources["payments"]!["bindings"]!["http"]!.AsObject().ContainsKey("external").ShouldBeFalse();

            // Secrets are parameters without values; nothing of the machine that wrote the manifest is in it.
            foreach (var secret in new[] { "postgres-password", "redis-password", "rabbitmq-password", "internal-api-key", "jwt-signing-key" })
            {
                resources[secret]!["type"]!.GetValue<string>().ShouldBe("parameter.v0", secret);
                resources[secret]!["inputs"]!["value"]!["secret"]!.GetValue<bool>().ShouldBeTrue(secret);
                resources[secret]!["inputs"]!["value"]!.AsObject().ContainsKey("value").ShouldBeFalse(secret);
            }

            text.ShouldNotContain(AppHostProcess.RepoRoot);
            text.ShouldNotContain(".ahod");
            text.ShouldNotContain(Path.GetTempPath());
            text.ShouldNotContain("PickupDirectory");
            text.ShouldNotContain("KeyDirectory");
            foreach (var placeholder in System.Text.RegularExpressions.Regex.Matches(text, @"\{([a-z0-9-]+)\.").Select(m => m.Groups[1].Value).Distinct())
            {
                resources.ContainsKey(placeholder).ShouldBeTrue($"dangling reference {{{placeholder}.…}}");
            }
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
