using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ahod.AppHost.Model;
using Microsoft.Extensions.Configuration;

namespace Ahod.AppHost.Publish;

/// <summary>
/// Writes the app model as an Aspire deployment manifest (the format azd reads):
/// <c>dotnet run --project Ahod.AppHost -- --publisher manifest --output-path aspire-manifest.json</c>.
/// Servers become containers of the same images Aspire uses; passwords become generated secret parameters.
/// </summary>
public static class ManifestPublisher
{
    public static bool TryGetOutputPath(IConfiguration configuration, out string path)
    {
        path = configuration["output-path"] ?? "aspire-manifest.json";
        return string.Equals(configuration["publisher"], "manifest", StringComparison.OrdinalIgnoreCase);
    }

    public static void Write(DistributedApplicationBuilder builder, string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var json = Build(builder, Path.GetDirectoryName(full)!).ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        File.WriteAllText(full, json + "\n");
    }

    public static JsonObject Build(DistributedApplicationBuilder builder, string manifestDirectory)
    {
        var resources = new JsonObject();
        if (builder.Resources.OfType<ProjectResource>().Any())
        {
            resources["internal-api-key"] = SecretParameter("internal-api-key");
        }

        foreach (var resource in builder.Resources)
        {
            switch (resource)
            {
                case ServerResource server:
                    resources[$"{server.Name}-password"] = SecretParameter($"{server.Name}-password");
                    resources[server.Name] = Container(server);
                    break;
                case PostgresDatabaseResource database:
                    resources[database.Name] = new JsonObject { ["type"] = "value.v0", ["connectionString"] = database.ConnectionStringExpression };
                    break;
                case ProjectResource project:
                    resources[project.Name] = Project(project, manifestDirectory);
                    break;
            }
        }

        return new JsonObject
        {
            ["$schema"] = "https://json.schemastore.org/aspire-8.0.json",
            ["resources"] = resources,
        };
    }

    private static JsonObject SecretParameter(string name) => new()
    {
        ["type"] = "parameter.v0",
        ["value"] = $"{{{name}.inputs.value}}",
        ["inputs"] = new JsonObject
        {
            ["value"] = new JsonObject
            {
                ["type"] = "string",
                ["secret"] = true,
                ["default"] = new JsonObject { ["generate"] = new JsonObject { ["minLength"] = 22, ["special"] = false } },
            },
        },
    };

    private static JsonObject Container(ServerResource server)
    {
        var password = $"{{{server.Name}-password.value}}";
        var env = server switch
        {
            PostgresServerResource => new JsonObject { ["POSTGRES_HOST_AUTH_METHOD"] = "scram-sha-256", ["POSTGRES_INITDB_ARGS"] = "--auth-host=scram-sha-256 --auth-local=scram-sha-256", ["POSTGRES_USER"] = PostgresServerResource.UserName, ["POSTGRES_PASSWORD"] = password },
            RabbitMqResource => new JsonObject { ["RABBITMQ_DEFAULT_USER"] = RabbitMqResource.UserName, ["RABBITMQ_DEFAULT_PASS"] = password },
            _ => new JsonObject(),
        };
        var container = new JsonObject
        {
            ["type"] = "container.v0",
            ["connectionString"] = server.ConnectionStringExpression,
            ["image"] = server.Image,
        };
        if (server is RedisResource)
        {
            container["entrypoint"] = "/bin/sh";
            container["args"] = new JsonArray("-c", $"redis-server --requirepass {password}");
        }

        container["env"] = env;
        container["bindings"] = new JsonObject
        {
            ["tcp"] = new JsonObject { ["scheme"] = "tcp", ["protocol"] = "tcp", ["transport"] = "tcp", ["targetPort"] = server.ContainerPort },
        };
        return container;
    }

    private static JsonObject Project(ProjectResource project, string manifestDirectory)
    {
        var env = new JsonObject
        {
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES"] = "true",
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES"] = "true",
            ["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory",
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
            ["HTTP_PORTS"] = $"{{{project.Name}.bindings.http.targetPort}}",
            ["InternalApi__Key"] = "{internal-api-key.value}",
        };
        foreach (var reference in project.ConnectionReferences)
        {
            env[$"ConnectionStrings__{reference.Name}"] = $"{{{reference.Name}.connectionString}}";
        }

        foreach (var service in project.ServiceReferences)
        {
            env[$"services__{service.Name}__http__0"] = $"{{{service.Name}.bindings.http.url}}";
            env[$"services__{service.Name}__https__0"] = $"{{{service.Name}.bindings.https.url}}";
        }

        foreach (var (key, value) in project.Environment)
        {
            env[key] = value;
        }

        return new JsonObject
        {
            ["type"] = "project.v0",
            ["path"] = Path.GetRelativePath(manifestDirectory, project.ProjectFile),
            ["env"] = env,
            ["bindings"] = new JsonObject
            {
                ["http"] = Binding("http", project.ExternalHttpEndpoints),
                ["https"] = Binding("https", project.ExternalHttpEndpoints),
            },
        };
    }

    private static JsonObject Binding(string scheme, bool external)
    {
        var binding = new JsonObject { ["scheme"] = scheme, ["protocol"] = "tcp", ["transport"] = "http" };
        if (external)
        {
            binding["external"] = true;
        }

        return binding;
    }
}
