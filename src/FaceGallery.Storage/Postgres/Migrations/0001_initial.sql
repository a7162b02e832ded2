-- Gallery schema version 1. The runner substitutes {{dimension}}, {{hnsw_m}} and
-- {{hnsw_ef_construction}} from PostgresStoreOptions when it applies this file.
-- Ids use the "C" collation so that paging order is plain byte order, as in the embedded store.

CREATE TABLE gallery_settings (
    name  text PRIMARY KEY,
    value text NOT NULL
);

INSERT INTO gallery_settings (name, value) VALUES ('dimension', '{{dimension}}');

CREATE TABLE identities (
    tenant       text COLLATE "C" NOT NULL,
    identity_id  text COLLATE "C" NOT NULL,
    display_name text,
    metadata     jsonb,
    revision     bigint NOT NULL DEFAULT 0,
    sample_count integer NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, identity_id)
);

CREATE TABLE face_samples (
    tenant       text COLLATE "C" NOT NULL,
    identity_id  text COLLATE "C" NOT NULL,
    sample_id    text COLLATE "C" NOT NULL,
    seq          bigint GENERATED ALWAYS AS IDENTITY,
    embedding    vector({{dimension}}) NOT NULL,
    quality      real NOT NULL,
    content_hash text,
    model_id     text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, identity_id, sample_id),
    FOREIGN KEY (tenant, identity_id) REFERENCES identities (tenant, identity_id) ON DELETE CASCADE
);

-- Samples are loaded in insertion order.
CREATE INDEX face_samples_insertion_order ON face_samples (tenant, identity_id, seq);

-- One list partition per tenant, created on the tenant's first write. The HNSW index declared here
-- is created on every partition, so each tenant has its own graph and a tenant's search never
-- filters a shared graph (filtered HNSW returns too few rows).
CREATE TABLE identity_descriptors (
    tenant        text COLLATE "C" NOT NULL,
    identity_id   text COLLATE "C" NOT NULL,
    descriptor    vector({{dimension}}) NOT NULL,
    version       bigint NOT NULL,
    sample_count  integer NOT NULL,
    coreset       text[] NOT NULL,
    aggregator_id text NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant, identity_id),
    FOREIGN KEY (tenant, identity_id) REFERENCES identities (tenant, identity_id) ON DELETE CASCADE
) PARTITION BY LIST (tenant);

CREATE INDEX identity_descriptors_hnsw ON identity_descriptors
    USING hnsw (descriptor vector_cosine_ops)
    WITH (m = {{hnsw_m}}, ef_construction = {{hnsw_ef_construction}});
