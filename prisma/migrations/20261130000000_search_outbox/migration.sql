-- AlterTable
ALTER TABLE "MailMessage" ADD COLUMN "parentSetAt" DATETIME;
ALTER TABLE "MailMessage" ADD COLUMN "parentSetById" INTEGER;

-- CreateTable
CREATE TABLE "SearchOutbox" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "targetId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "notBefore" DATETIME
);

-- CreateTable
CREATE TABLE "WorkerLease" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "SearchOutbox_notBefore_id_idx" ON "SearchOutbox"("notBefore", "id");

