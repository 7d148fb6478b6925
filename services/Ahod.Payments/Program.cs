using Ahod.Payments;
using Ahod.Payments.Data;
using Ahod.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddJwtBearerDefaults();
builder.AddPayments();

var app = builder.Build();
await app.MigratePaymentsDatabaseAsync();
app.MapDefaultEndpoints();
app.MapPaymentsEndpoints();
await app.RunAsync();
