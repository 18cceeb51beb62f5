using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Leadline.Data;

/// <summary>
/// Lets the same C# types travel to both databases: GUIDs are text in SQLite and uuid in PostgreSQL,
/// booleans are integers in SQLite and boolean in PostgreSQL.
/// </summary>
internal static class DapperSetup
{
    private static int s_registered;

    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 1)
        {
            return;
        }
        // Dapper maps positional records only when each column's type matches the parameter exactly, or a handler
        // exists for it. SQLite returns every integer as Int64, so these handlers do the narrowing for both databases.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new GuidHandler());
        SqlMapper.AddTypeHandler(new ConvertingHandler<int>(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)));
        SqlMapper.AddTypeHandler(new ConvertingHandler<long>(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)));
        SqlMapper.AddTypeHandler(new ConvertingHandler<double>(v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)));
        SqlMapper.AddTypeHandler(new ConvertingHandler<bool>(v => v is bool b ? b : Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) != 0));
        SqlMapper.RemoveTypeMap(typeof(Guid?));
        SqlMapper.AddTypeHandler(typeof(Guid?), new GuidHandler());
    }

    private sealed class ConvertingHandler<T>(Func<object, T> parse) : SqlMapper.TypeHandler<T>
    {
        public override void SetValue(IDbDataParameter parameter, T? value) => parameter.Value = value;

        public override T Parse(object value) => parse(value);
    }

    private sealed class GuidHandler : SqlMapper.TypeHandler<Guid>
    {
        public override void SetValue(IDbDataParameter parameter, Guid value)
        {
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.String;
                parameter.Value = value.ToString("D");
            }
            else
            {
                parameter.Value = value;
            }
        }

        public override Guid Parse(object value) => value switch
        {
            Guid g => g,
            string s => Guid.Parse(s),
            byte[] b => new Guid(b),
            _ => throw new DataException($"Cannot read a GUID from {value.GetType().Name}."),
        };
    }
}
