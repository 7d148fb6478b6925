using Ahod.Savings;
using Ahod.Savings.Data;
using Ahod.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSavings();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseAuthorization();
app.MapSavingsEndpoints();

await app.MigrateSavingsDatabaseAsync();
app.Run();
