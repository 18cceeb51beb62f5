namespace Leadline.Data;

public enum Dialect
{
    Sqlite,
    Postgres,
}
