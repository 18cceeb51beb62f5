using System.Data.Common;
using Dapper;

namespace Leadline.Data;

/// <summary>An open transaction, with actions to run only once it has committed.</summary>
public sealed class Tx(DbConnection connection, DbTransaction transaction, Dialect dialect)
{
    private List<Action>? _afterCommit;

    public DbConnection Connection { get; } = connection;
    public DbTransaction Transaction { get; } = transaction;
    public Dialect Dialect { get; } = dialect;

    /// <summary>Runs <paramref name="action"/> after a successful commit (wake-ups, metrics).</summary>
    public void OnCommitted(Action action) => (_afterCommit ??= []).Add(action);

    internal void RunAfterCommit()
    {
        if (_afterCommit is null)
        {
            return;
        }
        foreach (Action action in _afterCommit)
        {
            action();
        }
    }

    public Task<int> ExecuteAsync(string sql, object? param = null) =>
        Connection.ExecuteAsync(sql, param, Transaction);

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? param = null) =>
        Connection.QuerySingleOrDefaultAsync<T>(sql, param, Transaction);

    public Task<T> QuerySingleAsync<T>(string sql, object? param = null) =>
        Connection.QuerySingleAsync<T>(sql, param, Transaction);

    public Task<IEnumerable<T>> QueryAsync<T>(string sql, object? param = null) =>
        Connection.QueryAsync<T>(sql, param, Transaction);
}
