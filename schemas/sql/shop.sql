-- Business database `shop` of the data marketplace (MariaDB 10.11 / MySQL 8 dialect).
--
-- Applied by the local stack as `mariadb shop < schemas/sql/shop.sql`, so: no CREATE DATABASE /
-- USE, and every statement is idempotent (CREATE TABLE IF NOT EXISTS). Debezium captures these
-- tables from the ROW binlog (topics cdc.shop.<table>, key = primary key), which is why every
-- table has a single-column BIGINT primary key and an `updated_at` the normaliser can use as a
-- version to discard out-of-order updates. Timestamps are UTC with millisecond precision.
-- No foreign keys: the writers keep references consistent, and a CDC source must accept
-- deleting a catalogue item that old orders still mention.

CREATE TABLE IF NOT EXISTS users (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  email         VARCHAR(191)    NOT NULL,
  display_name  VARCHAR(100)    NOT NULL,
  company       VARCHAR(191)    NULL,
  -- Industry key from the same list as datasets.industry (e.g. 'finance').
  industry      VARCHAR(32)     NULL,
  -- ISO 3166-1 alpha-2, upper case.
  country       CHAR(2)         NULL,
  created_at    DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at    DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uniq_users_email (email),
  KEY idx_users_industry (industry),
  KEY idx_users_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS datasets (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  title         VARCHAR(255)    NOT NULL,
  description   TEXT            NOT NULL,
  -- Comma-separated lower-case tags, most general first: 'finance,stock,daily,china'.
  tags          VARCHAR(512)    NOT NULL DEFAULT '',
  industry      VARCHAR(32)     NOT NULL,
  -- 0.00 = free dataset.
  price         DECIMAL(12,2)   NOT NULL DEFAULT 0.00,
  status        ENUM('draft','listed','unlisted') NOT NULL DEFAULT 'draft',
  seller        VARCHAR(191)    NOT NULL,
  created_at    DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at    DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  KEY idx_datasets_status_industry (status, industry),
  KEY idx_datasets_seller (seller),
  KEY idx_datasets_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS orders (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id       BIGINT UNSIGNED NOT NULL,
  -- pending → paid → (refunded); pending → cancelled.
  status        ENUM('pending','paid','refunded','cancelled') NOT NULL DEFAULT 'pending',
  total_amount  DECIMAL(12,2)   NOT NULL DEFAULT 0.00,
  currency      CHAR(3)         NOT NULL DEFAULT 'CNY',
  created_at    DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  paid_at       DATETIME(3)     NULL,
  updated_at    DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  KEY idx_orders_user_created (user_id, created_at),
  KEY idx_orders_status_created (status, created_at),
  KEY idx_orders_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS order_items (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  order_id      BIGINT UNSIGNED NOT NULL,
  dataset_id    BIGINT UNSIGNED NOT NULL,
  -- Unit price at the time of the order (the catalogue price may change later).
  price         DECIMAL(12,2)   NOT NULL,
  quantity      INT UNSIGNED    NOT NULL DEFAULT 1,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_order_items_order_dataset (order_id, dataset_id),
  KEY idx_order_items_dataset (dataset_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A surrogate id keeps the Debezium key a single column; the unique key enforces one favourite
-- per user and dataset (un-favouriting deletes the row).
CREATE TABLE IF NOT EXISTS favorites (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id       BIGINT UNSIGNED NOT NULL,
  dataset_id    BIGINT UNSIGNED NOT NULL,
  created_at    DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  UNIQUE KEY uniq_favorites_user_dataset (user_id, dataset_id),
  KEY idx_favorites_dataset (dataset_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Debezium's signal table (the connector's `signal.data.collection`): an operator inserts a row to
-- ask the running connector for something, e.g. `npm run connectors -- snapshot cdc-mariadb` inserts
-- an `execute-snapshot` signal for a blocking re-snapshot of every captured table. The connector reads
-- the insert from the binlog; the rows are an audit trail of what was asked and when. Layout fixed by
-- Debezium: id, type, data (JSON), in this order.
CREATE TABLE IF NOT EXISTS debezium_signal (
  id            VARCHAR(64)     NOT NULL,
  type          VARCHAR(32)     NOT NULL,
  data          TEXT            NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
