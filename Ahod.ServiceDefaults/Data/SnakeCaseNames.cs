using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Ahod.ServiceDefaults;

/// <summary>
/// snake_case table-level names for a whole model (the EFCore.NamingConventions package is not on this machine's
/// mirror): hot paths use hand-written SQL, which reads better without quoted PascalCase identifiers.
/// </summary>
public static class SnakeCaseNames
{
    /// <summary>Call last in OnModelCreating. Names set explicitly (a column name, a pk_/ix_/ux_ name) are kept.</summary>
    public static ModelBuilder UseSnakeCaseNames(this ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties().Where(p => p.FindAnnotation("Relational:ColumnName") is null))
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }

            foreach (var key in entity.GetKeys().Where(k => k.GetName() is not { } n || !n.StartsWith("pk_", StringComparison.Ordinal)))
            {
                key.SetName("pk_" + entity.GetTableName());
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                foreignKey.SetConstraintName($"fk_{entity.GetTableName()}_{Columns(foreignKey.Properties)}");
            }

            foreach (var index in entity.GetIndexes().Where(i => i.GetDatabaseName() is { } n && !n.StartsWith("ix_", StringComparison.Ordinal) && !n.StartsWith("ux_", StringComparison.Ordinal)))
            {
                index.SetDatabaseName($"{(index.IsUnique ? "ux" : "ix")}_{entity.GetTableName()}_{Columns(index.Properties)}");
            }
        }

        return modelBuilder;
    }

    public static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string Columns(IEnumerable<Microsoft.EntityFrameworkCore.Metadata.IMutableProperty> properties) =>
        string.Join("_", properties.Select(p => ToSnakeCase(p.Name)));
}
