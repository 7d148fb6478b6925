using Ahod.Gateway;
using Ahod.Gateway.Docs;
using Ahod.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddJwtBearerDefaults();
builder.AddGateway();

var app = builder.Build();
app.UseGateway();
app.MapDefaultEndpoints();
app.MapDocsEndpoints();
app.MapGatewayProxy();
app.Run();
