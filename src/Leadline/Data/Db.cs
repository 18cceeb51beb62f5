using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Leadline.Data;

/// <summary>
/// The one way to reach the database. SQLite gets a single writer connection serialised in-process
/// (SQLite allows one writer at a time anyway) and pooled readers; PostgreSQL gets a pooled data source.
/// </summary>
public sealed class Db : IAsyncDisposable
{
    private readonly PriorityLock _writeLock = new();

    // Intake transactions open at once on PostgreSQL. More than a few per core only queue inside the server, and
    // would take every pooled connection from the workers answering the leads already accepted.
    private readonly SemaphoreSlim _intakeGate = new(Math.Max(2, 2 * Environment.ProcessorCount));
    private readonly NpgsqlDataSource? _postgres;
    private readonly string? _sqlite;
    private SqliteConnection? _writer;

    public Db(DbUrl url)
    {
        Url = url;
        DapperSetup.EnsureRegistered();
        if (url.Dialect == Dialect.Postgres)
        {
            _postgres = NpgsqlDataSource.Create(url.ConnectionString);
        }
        else
        {
            string? directory = Path.GetDirectoryName(new SqliteConnectionStringBuilder(url.ConnectionString).DataSource);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
            _sqlite = url.ConnectionString;
        }
    }

    public DbUrl Url { get; }

    public Dialect Dialect => Url.Dialect;

    /// <summary>Opens a connection for reading (or for work that manages its own transaction).</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(ct);
        }
        var connection = new SqliteConnection(_sqlite);
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;");
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in one transaction and commits it; rolls back if it throws.</summary>
    public async Task<T> InTransactionAsync<T>(Func<Tx, Task<T>> work, CancellationToken ct = default, DbPriority priority = DbPriority.Normal)
    {
        if (_postgres is not null && priority == DbPriority.Intake)
        {
            await _intakeGate.WaitAsync(ct);
            try
            {
                return await InPostgresTransactionAsync(work, ct);
            }
            finally
            {
                _intakeGate.Release();
            }
        }
        if (_postgres is not null)
        {
            return await InPostgresTransactionAsync(work, ct);
        }

        await _writeLock.EnterAsync(priority, ct);
        try
        {
            SqliteConnection writer = await GetWriterAsync(ct);
            // BEGIN IMMEDIATE: take the write lock now, so another process (a CLI verb) waits instead of failing later.
            await using var transaction = (SqliteTransaction)await writer.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);
            var tx = new Tx(writer, transaction, Dialect.Sqlite);
            T result = await work(tx);
            await transaction.CommitAsync(CancellationToken.None);
            tx.RunAfterCommit();
            return result;
        }
        finally
        {
            _writeLock.Exit();
        }
    }

    private async Task<T> InPostgresTransactionAsync<T>(Func<Tx, Task<T>> work, CancellationToken ct)
    {
        await using NpgsqlConnection connection = await _postgres!.OpenConnectionAsync(ct);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(ct);
        var tx = new Tx(connection, transaction, Dialect.Postgres);
        T result = await work(tx);
        await transaction.CommitAsync(ct);
        tx.RunAfterCommit();
        return result;
    }

    /// <summary>
    /// Runs several reads against one consistent snapshot, so a view never mixes states from before and after a
    /// concurrent commit (a message already "sent" while its lead's speed to lead is still empty).
    /// </summary>
    public async Task<T> ReadSnapshotAsync<T>(Func<Tx, Task<T>> work, CancellationToken ct = default)
    {
        await using DbConnection connection = await OpenAsync(ct);
        await using DbTransaction transaction = connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: true)
            : await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        T result = await work(new Tx(connection, transaction, Dialect));
        await transaction.CommitAsync(ct);
        return result;
    }

    public Task InTransactionAsync(Func<Tx, Task> work, CancellationToken ct = default, DbPriority priority = DbPriority.Normal) =>
        InTransactionAsync<bool>(async tx => { await work(tx); return true; }, ct, priority);

    private async Task<SqliteConnection> GetWriterAsync(CancellationToken ct)
    {
        if (_writer is { State: System.Data.ConnectionState.Open })
        {
            return _writer;
        }
        _writer?.Dispose();
        _writer = new SqliteConnection(_sqlite);
        await _writer.OpenAsync(ct);
        await _writer.ExecuteAsync("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;");
        return _writer;
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        if (_writer is not null)
        {
            // A job still inside a transaction on the shared writer finishes first: closing the connection under it
            // would roll the transaction back from another thread. Shutdown waits a few seconds at most.
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            bool entered = false;
            try
            {
                await _writeLock.EnterAsync(DbPriority.Normal, wait.Token);
                entered = true;
            }
            catch (OperationCanceledException)
            {
            }
            try
            {
                await _writer.DisposeAsync();
            }
            finally
            {
                if (entered)
                {
                    _writeLock.Exit();
                }
            }
        }
    }
}
