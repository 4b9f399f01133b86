// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Apps.Postgres;

namespace Haven.Apps.Tests.Postgres.Logical;

/// <summary>DSNs as libpq reads them; the password is kept apart from everything that is printed or passed on a command line.</summary>
public sealed class PgConnectionInfoTests
{
    [Fact]
    public void A_uri_becomes_keywords_with_its_password_held_apart()
    {
        var info = PgConnectionInfo.Parse("postgresql://app%20user:p%40ss@db.example:6543/sales?sslmode=require&application_name=x");

        Assert.Equal("p@ss", info.Password);
        Assert.Equal("sales", info.Database);
        Assert.Equal("application_name=x dbname=sales host=db.example port=6543 sslmode=require user='app user'", info.ToToolConnectionString());
        Assert.Equal("db.example:6543/sales as app user", info.Display);
        Assert.Equal("p@ss", info.ToolEnvironment()["PGPASSWORD"]);
    }

    [Fact]
    public void A_keyword_string_with_quotes_and_several_hosts_is_read_like_libpq()
    {
        var info = PgConnectionInfo.Parse(@"host=a,b port=1,2 dbname = 'my db' password='it\'s' user=u");
        var uri = PgConnectionInfo.Parse("postgres://u@[::1]:5433,b/db");

        Assert.Equal("it's", info.Password);
        Assert.Equal("dbname='my db' host=a,b port=1,2 user=u", info.ToToolConnectionString());
        Assert.Equal("dbname=db host=::1,b port=5433, user=u", uri.ToToolConnectionString());
        Assert.Equal("dbname=other host=a,b port=1,2 user=u", info.WithDatabase("other").ToToolConnectionString());
        Assert.Equal("app", PgConnectionInfo.Parse("app").Database);
    }

    [Theory]
    [InlineData("hots=x", "'hots' is not a libpq connection keyword")]
    [InlineData("host=x port", "missing '=' after 'port'")]
    [InlineData("host='x", "no closing quote")]
    [InlineData("postgresql://h:12a/db", "port '12a' is not a number")]
    [InlineData("service=prod", "service= is not supported")]
    public void A_dsn_haven_cannot_use_is_refused_with_the_reason(string dsn, string reason)
    {
        var error = Assert.Throws<PostgresBackupException>(() => PgConnectionInfo.Parse(dsn));

        Assert.Equal(PostgresBackupError.BadConnectionString, error.Error);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
