using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Ahod.Hosting;

/// <summary>
/// Settings that are folders on this machine in development and secrets or settings in a deployment, so the
/// manifest never carries a path of the machine that wrote it.
/// </summary>
public static class ProjectSettingsExtensions
{
    /// <summary>Development: ES256 keys generated under <c>{state}/keys</c>. Deployment: the <c>jwt-signing-key</c> secret (a PKCS#8 PEM).</summary>
    public static IResourceBuilder<ProjectResource> WithSigningKeys(this IResourceBuilder<ProjectResource> project)
    {
        var builder = project.ApplicationBuilder;
        if (builder.ExecutionContext.IsRunMode)
        {
            return project.WithEnvironment("Jwt__KeyDirectory", Path.Combine(builder.StateDirectory(), "keys"));
        }

        var key = builder.Resources.OfType<ParameterResource>().FirstOrDefault(p => p.Name == "jwt-signing-key")
                  ?? builder.AddParameter("jwt-signing-key", secret: true).Resource;
        return project.WithEnvironment("Jwt__SigningKeys__0", key);
    }

    /// <summary>
    /// Development: emails are written as .eml files to <c>{state}/mail</c> (<c>Email__PickupDirectory</c>). Deployment: the
    /// <c>smtp-host</c> setting (<c>Email__Smtp__Host</c>). The keys of ServiceDefaults' one <c>EmailOptions</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithMail(this IResourceBuilder<ProjectResource> project)
    {
        const string pickupDirectoryVariable = "Email__PickupDirectory";
        const string smtpHostVariable = "Email__Smtp__Host";
        var builder = project.ApplicationBuilder;
        if (builder.ExecutionContext.IsRunMode)
        {
            return project.WithEnvironment(pickupDirectoryVariable, Path.Combine(builder.StateDirectory(), "mail"));
        }

        var host = builder.Resources.OfType<ParameterResource>().FirstOrDefault(p => p.Name == "smtp-host")
                   ?? builder.AddParameter("smtp-host").Resource;
        return project.WithEnvironment(smtpHostVariable, host);
    }

    /// <summary>Development: uploaded files are kept under <c>{state}/media</c>. Deployment: the <c>media-directory</c> setting (a mounted volume).</summary>
    public static IResourceBuilder<ProjectResource> WithMediaDirectory(this IResourceBuilder<ProjectResource> project, string variable)
    {
        var builder = project.ApplicationBuilder;
        if (builder.ExecutionContext.IsRunMode)
        {
            return project.WithEnvironment(variable, Path.Combine(builder.StateDirectory(), "media"));
        }

        var directory = builder.Resources.OfType<ParameterResource>().FirstOrDefault(p => p.Name == "media-directory")
                        ?? builder.AddParameter("media-directory").Resource;
        return project.WithEnvironment(variable, directory);
    }
}
