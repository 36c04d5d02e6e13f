-- CreateTable
CREATE TABLE "OutgoingMail" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "toAddress" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT,
    "headers" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "sensitive" BOOLEAN NOT NULL DEFAULT false,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "notBefore" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME,
    "messageId" TEXT
);

-- CreateTable
CREATE TABLE "EmailToken" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tokenHash" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "purpose" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    CONSTRAINT "EmailToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "username" TEXT NOT NULL,
    "usernameKey" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "emailKey" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'member',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "publicPostingAckAt" DATETIME,
    "silencedUntil" DATETIME,
    "suspendedUntil" DATETIME,
    "emailVerifiedAt" DATETIME,
    "pendingEmail" TEXT,
    "emailOnReply" BOOLEAN NOT NULL DEFAULT true,
    "emailOnMention" BOOLEAN NOT NULL DEFAULT true,
    "emailOnWatched" BOOLEAN NOT NULL DEFAULT false,
    "unsubscribeKey" TEXT
);
INSERT INTO "new_User" ("createdAt", "email", "emailKey", "id", "passwordHash", "publicPostingAckAt", "role", "silencedUntil", "suspendedUntil", "updatedAt", "username", "usernameKey") SELECT "createdAt", "email", "emailKey", "id", "passwordHash", "publicPostingAckAt", "role", "silencedUntil", "suspendedUntil", "updatedAt", "username", "usernameKey" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_usernameKey_key" ON "User"("usernameKey");
CREATE UNIQUE INDEX "User_emailKey_key" ON "User"("emailKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "OutgoingMail_status_notBefore_id_idx" ON "OutgoingMail"("status", "notBefore", "id");

-- CreateIndex
CREATE INDEX "OutgoingMail_toAddress_sentAt_idx" ON "OutgoingMail"("toAddress", "sentAt");

-- CreateIndex
CREATE INDEX "OutgoingMail_sentAt_idx" ON "OutgoingMail"("sentAt");

-- CreateIndex
CREATE UNIQUE INDEX "EmailToken_tokenHash_key" ON "EmailToken"("tokenHash");

-- CreateIndex
CREATE INDEX "EmailToken_userId_purpose_idx" ON "EmailToken"("userId", "purpose");

