using Ahod.Identity;
using Ahod.Identity.Auth;
using Ahod.Identity.Data;
using Ahod.Identity.Gdpr;
using Ahod.Identity.Tokens;
using Ahod.Identity.Users;
using Ahod.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddIdentityService();

var app = builder.Build();
app.MapDefaultEndpoints();
// After the ProblemDetails middleware, so a 401/403 from authorization gets a problem body too.
app.UseAuthentication();
app.UseAuthorization();
app.MapOpenApiDefaults();
app.MapJwksEndpoints();
app.MapAuthEndpoints();
app.MapUsersEndpoints();
app.MapInternalRolesEndpoints();
app.MapGdprEndpoints();

await app.MigrateIdentityDatabaseAsync();
app.Run();

/// <summary>Visible to tests and tools that host the service in-process.</summary>
public partial class Program;
