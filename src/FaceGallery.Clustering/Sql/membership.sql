-- Orleans cluster membership for FaceGallery: the project's own schema.
-- Runs in one transaction on every silo start; the advisory lock keeps processes that start at the
-- same moment from racing on CREATE ... IF NOT EXISTS (which is not safe under concurrency by itself).
SELECT pg_advisory_xact_lock(hashtext('facegallery.cluster_membership.schema'));

-- One row per cluster: the table version every membership change must advance, and the etag that
-- makes those changes optimistic (a writer must present the etag it read).
CREATE TABLE IF NOT EXISTS cluster_membership_versions (
    cluster_id  text        PRIMARY KEY,
    version     integer     NOT NULL CHECK (version >= 0),
    etag        text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per silo incarnation (address, port, generation). The row etag changes only with a
-- membership change of that row, never with a heartbeat, so a heartbeat cannot spoil a vote.
CREATE TABLE IF NOT EXISTS cluster_membership_silos (
    cluster_id       text        NOT NULL REFERENCES cluster_membership_versions (cluster_id) ON DELETE CASCADE,
    address          text        NOT NULL,
    port             integer     NOT NULL CHECK (port BETWEEN 0 AND 65535),
    generation       integer     NOT NULL,
    silo_name        text        NOT NULL,
    host_name        text        NOT NULL,
    status           text        NOT NULL
        CHECK (status IN ('None', 'Created', 'Joining', 'Active', 'ShuttingDown', 'Stopping', 'Dead')),
    proxy_port       integer     NOT NULL CHECK (proxy_port BETWEEN 0 AND 65535),
    role_name        text        NOT NULL DEFAULT '',
    update_zone      integer     NOT NULL DEFAULT 0,
    fault_zone       integer     NOT NULL DEFAULT 0,
    -- [{"silo": "<SiloAddress parsable string>", "at": "<UTC time, full precision>"}]
    suspect_times    jsonb       NOT NULL DEFAULT '[]',
    start_time       timestamptz NOT NULL,
    i_am_alive_time  timestamptz NOT NULL,
    -- Latest of start time, heartbeat and suspicion votes: what defunct-entry cleanup ages rows by.
    last_update_at   timestamptz NOT NULL,
    etag             text        NOT NULL,
    PRIMARY KEY (cluster_id, address, port, generation)
);

CREATE INDEX IF NOT EXISTS cluster_membership_silos_status
    ON cluster_membership_silos (cluster_id, status);
