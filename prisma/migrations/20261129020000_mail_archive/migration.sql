-- CreateTable
CREATE TABLE "MailingList" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "hostName" TEXT NOT NULL,
    "hostUrl" TEXT NOT NULL,
    "infoUrl" TEXT,
    "contact" TEXT,
    "ownershipNotice" TEXT NOT NULL DEFAULT '',
    "listAddress" TEXT,
    "visibility" TEXT NOT NULL DEFAULT 'hidden',
    "publishedAt" DATETIME,
    "sourceType" TEXT NOT NULL DEFAULT 'none',
    "imapHost" TEXT,
    "imapPort" INTEGER,
    "imapTls" BOOLEAN NOT NULL DEFAULT true,
    "imapUser" TEXT,
    "imapPasswordEnv" TEXT,
    "imapMailbox" TEXT DEFAULT 'INBOX',
    "uidValidity" BIGINT,
    "lastUid" BIGINT,
    "lastSyncedAt" DATETIME,
    "syncLockedUntil" DATETIME,
    "syncLockOwner" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "messageCount" INTEGER NOT NULL DEFAULT 0,
    "threadCount" INTEGER NOT NULL DEFAULT 0,
    "lastMessageAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "MailThread" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "listId" INTEGER NOT NULL,
    "publicId" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "messageCount" INTEGER NOT NULL DEFAULT 0,
    "missingCount" INTEGER NOT NULL DEFAULT 0,
    "firstAt" DATETIME NOT NULL,
    "lastAt" DATETIME NOT NULL,
    CONSTRAINT "MailThread_listId_fkey" FOREIGN KEY ("listId") REFERENCES "MailingList" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MailMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "listId" INTEGER NOT NULL,
    "publicId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'message',
    "messageIdSynthetic" BOOLEAN NOT NULL DEFAULT false,
    "threadId" INTEGER,
    "parentMessageId" TEXT,
    "claimsParent" BOOLEAN NOT NULL DEFAULT false,
    "inferredParent" BOOLEAN NOT NULL DEFAULT false,
    "inReplyTo" TEXT,
    "references" TEXT NOT NULL DEFAULT '[]',
    "subject" TEXT NOT NULL DEFAULT '',
    "normalizedSubject" TEXT NOT NULL DEFAULT '',
    "fromName" TEXT NOT NULL DEFAULT '',
    "fromAddress" TEXT,
    "date" DATETIME,
    "dateFallback" BOOLEAN NOT NULL DEFAULT false,
    "textBody" TEXT NOT NULL DEFAULT '',
    "htmlBody" TEXT,
    "size" INTEGER NOT NULL DEFAULT 0,
    "rawSha256" TEXT,
    "archivedAt" TEXT,
    "sourceKind" TEXT,
    "sourceMailbox" TEXT,
    "sourceUidValidity" BIGINT,
    "sourceUid" BIGINT,
    "sourceFile" TEXT,
    "sourceOffset" BIGINT,
    "fetchedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "hiddenAt" DATETIME,
    "hiddenById" INTEGER,
    "hiddenReason" TEXT,
    CONSTRAINT "MailMessage_listId_fkey" FOREIGN KEY ("listId") REFERENCES "MailingList" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MailMessage_threadId_fkey" FOREIGN KEY ("threadId") REFERENCES "MailThread" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MailRaw" (
    "messageRowId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "gz" BLOB NOT NULL,
    CONSTRAINT "MailRaw_messageRowId_fkey" FOREIGN KEY ("messageRowId") REFERENCES "MailMessage" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MailAttachment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "messageRowId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "filename" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT,
    "inline" BOOLEAN NOT NULL DEFAULT false,
    "contentId" TEXT,
    "skipped" TEXT,
    CONSTRAINT "MailAttachment_messageRowId_fkey" FOREIGN KEY ("messageRowId") REFERENCES "MailMessage" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ImportRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "listId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT '',
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'running',
    "fetched" INTEGER NOT NULL DEFAULT 0,
    "created" INTEGER NOT NULL DEFAULT 0,
    "duplicates" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    CONSTRAINT "ImportRun_listId_fkey" FOREIGN KEY ("listId") REFERENCES "MailingList" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ImportFailure" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "listId" INTEGER NOT NULL,
    "runId" INTEGER,
    "reason" TEXT NOT NULL,
    "gz" BLOB,
    "size" INTEGER NOT NULL DEFAULT 0,
    "rawSha256" TEXT,
    "source" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" DATETIME
);

-- CreateTable
CREATE TABLE "MailTombstone" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "listId" INTEGER NOT NULL,
    "messageId" TEXT NOT NULL,
    "rawSha256" TEXT,
    "reason" TEXT NOT NULL,
    "createdById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "MailingList_slug_key" ON "MailingList"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "MailThread_publicId_key" ON "MailThread"("publicId");

-- CreateIndex
CREATE INDEX "MailThread_listId_lastAt_idx" ON "MailThread"("listId", "lastAt");

-- CreateIndex
CREATE INDEX "MailThread_listId_firstAt_idx" ON "MailThread"("listId", "firstAt");

-- CreateIndex
CREATE UNIQUE INDEX "MailMessage_publicId_key" ON "MailMessage"("publicId");

-- CreateIndex
CREATE INDEX "MailMessage_listId_date_idx" ON "MailMessage"("listId", "date");

-- CreateIndex
CREATE INDEX "MailMessage_threadId_date_idx" ON "MailMessage"("threadId", "date");

-- CreateIndex
CREATE INDEX "MailMessage_listId_parentMessageId_idx" ON "MailMessage"("listId", "parentMessageId");

-- CreateIndex
CREATE UNIQUE INDEX "MailMessage_listId_messageId_key" ON "MailMessage"("listId", "messageId");

-- CreateIndex
CREATE UNIQUE INDEX "MailAttachment_messageRowId_position_key" ON "MailAttachment"("messageRowId", "position");

-- CreateIndex
CREATE INDEX "ImportRun_listId_startedAt_idx" ON "ImportRun"("listId", "startedAt");

-- CreateIndex
CREATE INDEX "ImportFailure_listId_createdAt_idx" ON "ImportFailure"("listId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "MailTombstone_listId_messageId_key" ON "MailTombstone"("listId", "messageId");

