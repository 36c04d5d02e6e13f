-- CreateTable
CREATE TABLE "AnnouncementList" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AnnouncementSubscription" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "listId" INTEGER NOT NULL,
    "email" TEXT NOT NULL,
    "emailKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "confirmTokenHash" TEXT,
    "confirmExpiresAt" DATETIME,
    "unsubscribeKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmedAt" DATETIME,
    "unsubscribedAt" DATETIME,
    CONSTRAINT "AnnouncementSubscription_listId_fkey" FOREIGN KEY ("listId") REFERENCES "AnnouncementList" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Announcement" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "listId" INTEGER NOT NULL,
    "subject" TEXT NOT NULL,
    "markdown" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "createdById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "sendStartedAt" DATETIME,
    "linkOrigin" TEXT NOT NULL DEFAULT '',
    "queuedAllAt" DATETIME,
    CONSTRAINT "Announcement_listId_fkey" FOREIGN KEY ("listId") REFERENCES "AnnouncementList" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AnnouncementDelivery" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "announcementId" INTEGER NOT NULL,
    "subscriptionId" INTEGER NOT NULL,
    "mailId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AnnouncementDelivery_announcementId_fkey" FOREIGN KEY ("announcementId") REFERENCES "Announcement" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AnnouncementDelivery_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "AnnouncementSubscription" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AnnouncementDelivery_mailId_fkey" FOREIGN KEY ("mailId") REFERENCES "OutgoingMail" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "AnnouncementList_slug_key" ON "AnnouncementList"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "AnnouncementSubscription_confirmTokenHash_key" ON "AnnouncementSubscription"("confirmTokenHash");

-- CreateIndex
CREATE INDEX "AnnouncementSubscription_listId_status_id_idx" ON "AnnouncementSubscription"("listId", "status", "id");

-- CreateIndex
CREATE INDEX "AnnouncementSubscription_status_confirmExpiresAt_idx" ON "AnnouncementSubscription"("status", "confirmExpiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "AnnouncementSubscription_listId_emailKey_key" ON "AnnouncementSubscription"("listId", "emailKey");

-- CreateIndex
CREATE INDEX "Announcement_status_idx" ON "Announcement"("status");

-- CreateIndex
CREATE INDEX "Announcement_listId_id_idx" ON "Announcement"("listId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "AnnouncementDelivery_mailId_key" ON "AnnouncementDelivery"("mailId");

-- CreateIndex
CREATE INDEX "AnnouncementDelivery_subscriptionId_idx" ON "AnnouncementDelivery"("subscriptionId");

-- CreateIndex
CREATE UNIQUE INDEX "AnnouncementDelivery_announcementId_subscriptionId_key" ON "AnnouncementDelivery"("announcementId", "subscriptionId");

