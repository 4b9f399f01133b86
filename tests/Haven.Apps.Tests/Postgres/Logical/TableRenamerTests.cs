// Haven: backup and disaster recovery. Licensed under the Apache License 2.0.
using Haven.Apps.Postgres.Logical;

namespace Haven.Apps.Tests.Postgres.Logical;

/// <summary>The statements that recreate a table, rewritten for --as: names change, data and look-alikes do not.</summary>
public sealed class TableRenamerTests
{
    [Fact]
    public void Table_sequence_index_and_constraint_names_change_and_copy_data_and_strings_do_not()
    {
        var renamer = new TableRenamer("public", "orders", "orders_old", ["orders_id_seq", "orders_created_idx", "by_note"]);
        var rewriter = new SqlScriptRewriter(renamer.Rewrite);
        string script = """
            \restrict abc
            -- Name: orders; Type: TABLE; Schema: public; Owner: postgres
            CREATE TABLE public.orders (
                id integer NOT NULL,
                note text DEFAULT 'public.orders; -- not a name'::text,
                CONSTRAINT orders_amount_check CHECK ((id > 0))
            );
            ALTER SEQUENCE public.orders_id_seq OWNED BY public.orders.id;
            ALTER TABLE ONLY public.orders ALTER COLUMN id SET DEFAULT nextval('public.orders_id_seq'::regclass);
            COPY public.orders (id, note) FROM stdin;
            1	public.orders;
            2	CONSTRAINT orders_pkey
            \.
            SELECT pg_catalog.setval('public.orders_id_seq', 2, true);
            ALTER TABLE ONLY public.orders
                ADD CONSTRAINT orders_pkey PRIMARY KEY (id);
            CREATE INDEX orders_created_idx ON public.orders USING btree (id);
            CREATE UNIQUE INDEX by_note ON public.orders USING btree (note);
            ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_customer_fkey FOREIGN KEY (id) REFERENCES public.customers(id);
            COMMENT ON INDEX public.by_note IS 'orders by note';
            """;

        string output = string.Concat(script.Split('\n').Select(rewriter.Feed));

        Assert.False(rewriter.IsIncomplete);
        Assert.Equal("""
            \restrict abc
            -- Name: orders; Type: TABLE; Schema: public; Owner: postgres
            CREATE TABLE public."orders_old" (
                id integer NOT NULL,
                note text DEFAULT 'public.orders; -- not a name'::text,
                CONSTRAINT "orders_old_amount_check" CHECK ((id > 0))
            );
            ALTER SEQUENCE public."orders_old_id_seq" OWNED BY public."orders_old".id;
            ALTER TABLE ONLY public."orders_old" ALTER COLUMN id SET DEFAULT nextval('public."orders_old_id_seq"'::regclass);
            COPY public."orders_old" (id, note) FROM stdin;
            1	public.orders;
            2	CONSTRAINT orders_pkey
            \.
            SELECT pg_catalog.setval('public."orders_old_id_seq"', 2, true);
            ALTER TABLE ONLY public."orders_old"
                ADD CONSTRAINT "orders_old_pkey" PRIMARY KEY (id);
            CREATE INDEX "orders_old_created_idx" ON public."orders_old" USING btree (id);
            CREATE UNIQUE INDEX "orders_old_by_note" ON public."orders_old" USING btree (note);
            ALTER TABLE ONLY public."orders_old" ADD CONSTRAINT "orders_old_customer_fkey" FOREIGN KEY (id) REFERENCES public.customers(id);
            COMMENT ON INDEX public."orders_old_by_note" IS 'orders by note';

            """, output);
    }
}
