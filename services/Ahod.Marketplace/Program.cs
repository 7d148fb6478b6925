using Ahod.Marketplace;
using Ahod.Marketplace.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMarketplace();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseAuthorization();
app.MapMarketplaceEndpoints();

await app.MigrateMarketplaceDatabaseAsync();
app.Run();
